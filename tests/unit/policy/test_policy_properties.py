"""Properties every judgement must keep, over random well-formed policies."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from policy_cases import BUCKET, ME, ORG, OTHER, QUEUE, TOPIC

from wa_review.policy import PolicyContext, Verdict, judge_policy
from wa_review.policy.verdict import rank

Json = dict[str, Any]

# Two cores and a 30 s budget for the module: enough examples to find ordering bugs, no more.
PROPERTY = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

PRINCIPALS = st.sampled_from(
    [
        "*",
        {"AWS": "*"},
        {"AWS": ME},
        {"AWS": OTHER},
        {"AWS": f"arn:aws:iam::{OTHER}:role/r"},
        {"AWS": f"arn:aws:iam::{ME}:role/app"},
        {"AWS": [ME, OTHER]},
        {"AWS": "arn:aws:iam::*:root"},
        {"Service": "sns.amazonaws.com"},
        {"Service": ["s3.amazonaws.com", "events.amazonaws.com"]},
        {"CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},
        {"Federated": "cognito-identity.amazonaws.com"},
        {"AWS": "AROAZ5EXAMPLEROLE0001"},
        {"AWS": ["AIDAZ5EXAMPLEUSER0001", OTHER]},
    ]
)
ACTIONS = st.sampled_from(
    [
        *[
            "sqs:SendMessage",
            "sqs:*",
            "*",
            "sqs:Send*",
            "SQS:sendmessage",
            "sqs:Get*",
            "sqs:FutureThing",
        ],
        ["sqs:ReceiveMessage", "sqs:DeleteMessage"],
        ["sqs:SendMessage", "sqs:PurgeQueue"],
        ["sns:Subscribe", "sns:Publish"],
        ["kms:Decrypt", "s3:PutObject"],
    ]
)
RESOURCES = st.sampled_from(["*", QUEUE, [QUEUE, f"{QUEUE}-dlq"], "arn:aws:sqs:*"])
OPERATORS = st.sampled_from(
    [
        "StringEquals",
        "StringLike",
        "StringNotEquals",
        "StringNotLike",
        "StringEqualsIfExists",
        "StringNotEqualsIfExists",
        "ForAnyValue:StringEquals",
        "ForAllValues:StringEquals",
        "ForAnyValue:StringNotEquals",
        "ForAllValues:StringNotEquals",
        "ArnLike",
        "ArnNotLike",
        "ArnEquals",
        "IpAddress",
        "NotIpAddress",
        "Bool",
        "Null",
        "NumericLessThan",
        "StringEqualsIgnoreCase",
        "ForAnyValue:StringLike",
    ]
)
VALUES: dict[str, list[str]] = {
    "aws:SourceVpce": ["vpce-1", "vpce-2", "vpce-*", "*"],
    "aws:SourceVpc": ["vpc-1", "vpc-2"],
    "aws:SourceIp": [
        *("10.0.0.0/8", "203.0.113.0/24", "0.0.0.0/0", "not-an-ip", "0.0.0.0/1"),
        *("2600::/16", "2001:db8::/32"),
    ],
    "aws:PrincipalOrgID": [ORG, "o-other00000", "o-*"],
    "aws:PrincipalOrgPaths": [f"{ORG}/r-ab12/*", "o-*/r-ab12/*"],
    "aws:PrincipalAccount": [ME, OTHER, "*"],
    "aws:PrincipalArn": [f"arn:aws:iam::{ME}:role/*", f"arn:aws:iam::{OTHER}:role/x"],
    "aws:SourceAccount": [ME, OTHER, "*"],
    "aws:SourceOwner": [ME, OTHER],
    "aws:SourceArn": [
        *(TOPIC, f"arn:aws:sns:us-east-1:{OTHER}:t", BUCKET, "*"),
        *("arn:aws:s3:::orders-*", "orders-bucket", f"arn:aws:sns:us-east-1:{ME}:*"),
    ],
    "aws:userid": ["AROAZ5EXAMPLELIVE01:*", "AROA*", ME, "anonymous"],
    "s3:DataAccessPointAccount": [ME, OTHER],
    "s3:DataAccessPointArn": [f"arn:aws:s3:us-east-1:{ME}:accesspoint/*", "arn:aws:s3:*"],
    "s3:x-amz-server-side-encryption-aws-kms-key-id": [
        f"arn:aws:kms:us-east-1:{ME}:key/k",
        "alias/k",
    ],
    "kms:CallerAccount": [ME, OTHER, "*"],
    "sns:Endpoint": ["*@example.com"],
    "aws:SecureTransport": ["true", "false"],
    "aws:ResourceOrgID": [ORG],
    "sqs:MessageSize": ["1024"],
}
KEYS = st.sampled_from(sorted(VALUES))


@st.composite
def clauses(draw: st.DrawFn) -> tuple[str, str, Any]:
    op = draw(OPERATORS)
    key = draw(KEYS)
    values = draw(st.lists(st.sampled_from(VALUES[key]), min_size=1, max_size=2, unique=True))
    return op, key, values[0] if len(values) == 1 and draw(st.booleans()) else values


def condition_of(items: list[tuple[str, str, Any]]) -> Json:
    block: Json = {}
    for op, key, values in items:
        block.setdefault(op, {}).setdefault(key, values)
    return block


@st.composite
def statements(draw: st.DrawFn, effect: str | None = None) -> Json:
    out: Json = {"Effect": effect or draw(st.sampled_from(["Allow", "Allow", "Deny"]))}
    if draw(st.booleans()):
        out["Sid"] = draw(st.sampled_from(["A", "B", "DenyOutside", "Fanout"]))
    out["NotPrincipal" if draw(st.integers(0, 7)) == 0 else "Principal"] = draw(PRINCIPALS)
    out["NotAction" if draw(st.integers(0, 7)) == 0 else "Action"] = draw(ACTIONS)
    out["Resource"] = draw(RESOURCES)
    items = draw(st.lists(clauses(), max_size=3))
    if items:
        out["Condition"] = condition_of(items)
    return out


POLICIES = st.lists(statements(), min_size=1, max_size=5).map(
    lambda stmts: {"Version": "2012-10-17", "Statement": stmts}
)
TYPES = st.sampled_from(["sqs", "generic"])


def judge(policy: Json, rtype: str) -> Verdict:
    return judge_policy(policy, PolicyContext(account_id=ME, resource_type=rtype))


def openness(v: Verdict) -> tuple[int, dict[str, int]]:
    return rank(v.most_open), {g: rank(cs[0]) for g, cs in v.by_action_group.items()}


def no_more_open(after: Verdict, before: Verdict) -> bool:
    top_after, groups_after = openness(after)
    top_before, groups_before = openness(before)
    return top_after <= top_before and all(
        groups_after[g] <= groups_before.get(g, 0) for g in groups_after
    )


@PROPERTY
@given(POLICIES, TYPES)
def test_never_crashes_and_always_explains(policy: Json, rtype: str) -> None:
    verdict = judge(policy, rtype)
    assert verdict.reasons
    assert verdict.classes[0] in (verdict.most_open, *verdict.classes)
    json.dumps(verdict.to_dict())


@PROPERTY
@given(POLICIES, statements(effect="Deny"), TYPES)
def test_adding_a_deny_never_opens(policy: Json, deny: Json, rtype: str) -> None:
    before = judge(policy, rtype)
    after = judge({**policy, "Statement": [*policy["Statement"], deny]}, rtype)
    assert no_more_open(after, before), (before.to_dict(), after.to_dict())


@PROPERTY
@given(POLICIES, st.data(), TYPES)
def test_adding_a_condition_to_an_allow_never_opens(
    policy: Json, data: st.DataObject, rtype: str
) -> None:
    stmts = policy["Statement"]
    allows = [i for i, s in enumerate(stmts) if s["Effect"] == "Allow"]
    if not allows:
        return
    index = data.draw(st.sampled_from(allows))
    op, key, values = data.draw(clauses())
    target = dict(stmts[index])
    block = {o: dict(keys) for o, keys in target.get("Condition", {}).items()}
    if key in block.get(op, {}):
        return  # same operator and key: that would replace values, not add a condition
    block.setdefault(op, {})[key] = values
    target["Condition"] = block
    changed = [*stmts[:index], target, *stmts[index + 1 :]]
    before = judge(policy, rtype)
    after = judge({**policy, "Statement": changed}, rtype)
    assert no_more_open(after, before), (before.to_dict(), after.to_dict())


@PROPERTY
@given(POLICIES, st.randoms(use_true_random=False), TYPES)
def test_statement_order_never_matters(policy: Json, rnd: Any, rtype: str) -> None:
    shuffled = list(policy["Statement"])
    rnd.shuffle(shuffled)
    a = judge(policy, rtype)
    b = judge({**policy, "Statement": shuffled}, rtype)
    assert (a.most_open, a.classes, a.by_action_group) == (
        b.most_open,
        b.classes,
        b.by_action_group,
    )


JSON_LEAVES = st.none() | st.booleans() | st.integers() | st.text(max_size=6)
POLICY_WORDS = st.sampled_from(
    [
        "Statement",
        "Effect",
        "Allow",
        "Deny",
        "Principal",
        "AWS",
        "Service",
        "Action",
        "Condition",
        "StringEquals",
        "aws:SourceVpce",
        "Resource",
        "NotPrincipal",
        "*",
    ]
)
ANY_JSON = st.recursive(
    JSON_LEAVES | POLICY_WORDS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(POLICY_WORDS | st.text(max_size=4), inner, max_size=4)
    ),
    max_leaves=20,
)


@PROPERTY
@given(ANY_JSON, TYPES)
def test_any_json_gets_a_verdict(value: Any, rtype: str) -> None:
    # Valid JSON is judged (unknown if it is not a policy); only non-JSON text raises.
    doc = {"Statement": value} if not isinstance(value, dict) else value
    verdict = judge(doc, rtype)
    assert verdict.reasons
    json.dumps(verdict.to_dict())
