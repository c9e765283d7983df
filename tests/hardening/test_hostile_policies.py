"""10,000 generated policies through the judge: well-formed, half-formed and plain junk.

Whatever the text, the judge returns a Verdict whose reasons serialise to JSON, or refuses the
text with PolicyParseError; it never raises anything else and never hangs.

Hypothesis spends ~3 ms drawing each of these policies and the judge ~0.1 ms judging it, so the
10,000 come from a seeded generator in a plain loop (the same every run), and hypothesis
explores the same space with fewer examples, where its shrinking makes a failure readable.
"""

from __future__ import annotations

import contextlib
import json
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hardening.policy_gen import (
    ARN,
    CONDITION_KEYS,
    ME,
    OPERATORS,
    ORG,
    OTHER,
    PolicyGenerator,
)
from wa_review.checks.support.helpers import judge_document, reasons_of
from wa_review.model.inventory import CheckConfig
from wa_review.policy import RESOURCE_TYPES, AccessClass, PolicyParseError, Verdict, judge_policy
from wa_review.policy.context import PolicyContext

POLICIES = 10_000
EXAMPLES = 1_500

# Scalars an attacker (or a careless template) might put anywhere in a policy.
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["", "*", "?", "**", ":", "arn:", "arn:aws:iam::*:root", "\x00", "\u202e"]),
)
JSON = st.recursive(
    JUNK,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
PRINCIPAL = st.one_of(
    st.sampled_from(["*", {"AWS": "*"}, {"AWS": ME}, {"AWS": OTHER}, {"AWS": [ME, "*"]}]),
    st.sampled_from([{"Service": "sns.amazonaws.com"}, {"Federated": "x"}, {"CanonicalUser": 7}]),
    st.dictionaries(st.sampled_from(["AWS", "Service", "Bogus"]), JSON, max_size=2),
    JSON,
)
ACTION = st.one_of(
    st.sampled_from(["*", "sqs:*", "sqs:SendMessage", "s3:Get*", "lambda:InvokeFunction", "a:b:c"]),
    st.lists(st.sampled_from(["*", "sqs:Send*", "SQS:sendmessage", "", ":"]), max_size=3),
    JSON,
)
OPERATOR = st.sampled_from(OPERATORS)
KEY = st.sampled_from(CONDITION_KEYS)
CONDITION = st.one_of(
    st.dictionaries(
        OPERATOR,
        st.dictionaries(KEY, st.one_of(JUNK, st.lists(JUNK, max_size=3)), max_size=3),
        max_size=3,
    ),
    JSON,
)
STATEMENT = st.fixed_dictionaries(
    {},
    optional={
        "Sid": JUNK,
        "Effect": st.one_of(st.sampled_from(["Allow", "Deny", "allow", "Maybe"]), JUNK),
        "Principal": PRINCIPAL,
        "NotPrincipal": PRINCIPAL,
        "Action": ACTION,
        "NotAction": ACTION,
        "Resource": st.one_of(st.sampled_from(["*", ARN, f"{ARN}*"]), JSON),
        "NotResource": JSON,
        "Condition": CONDITION,
    },
)
POLICY = st.one_of(
    st.fixed_dictionaries(
        {"Statement": st.one_of(STATEMENT, st.lists(STATEMENT, max_size=5), JSON)},
        optional={"Version": st.one_of(st.just("2012-10-17"), JUNK), "Id": JUNK},
    ),
    JSON,
)


@st.composite
def sources(draw: st.DrawFn) -> object:
    """The policy as the judge may get it: a dict, its JSON text, or mangled text."""
    policy = draw(POLICY)
    form = draw(st.sampled_from(["dict", "text", "escaped", "cut", "raw"]))
    if form == "dict":
        return policy
    text = json.dumps(policy)
    if form == "escaped":  # API Gateway returns the policy JSON-escaped
        return json.dumps(text)[1:-1]
    if form == "cut":
        return text[: draw(st.integers(min_value=0, max_value=len(text)))]
    if form == "raw":
        return draw(st.text(max_size=60))
    return text


def check_judgement(source: object, resource_type: str) -> None:
    context = PolicyContext(
        account_id=ME,
        resource_type=resource_type,
        resource_arn=ARN,
        org_id=ORG,
        trusted_accounts=frozenset({OTHER}),
    )
    try:
        verdict = judge_policy(source, context)
    except PolicyParseError as err:
        assert err.message  # refused with words a person can read
        return
    assert isinstance(verdict, Verdict)
    assert verdict.most_open in AccessClass
    assert set(verdict.classes) <= set(AccessClass)
    json.dumps(reasons_of(verdict), allow_nan=True)  # evidence details must serialise
    if isinstance(source, str):  # the checks' path gives the same answer, or a sentence
        again = judge_document(source, ME, resource_type, ARN, CheckConfig(org_id=ORG))
        assert isinstance(again, Verdict | str)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@given(source=sources(), resource_type=st.sampled_from(sorted(RESOURCE_TYPES)))
def test_the_judge_never_crashes_hypothesis(source: object, resource_type: str) -> None:
    check_judgement(source, resource_type)


def test_ten_thousand_generated_policies_never_crash_the_judge() -> None:
    generator = PolicyGenerator(seed=20260302)
    types = sorted(RESOURCE_TYPES)
    started = time.monotonic()
    for n in range(POLICIES):
        source = generator.source()
        try:
            check_judgement(source, types[n % len(types)])
        except Exception as err:
            raise AssertionError(f"policy #{n} fails: {source!r}") from err
    assert time.monotonic() - started < 60


def test_pathological_policies_are_refused_quickly() -> None:
    context = PolicyContext(ME, "sqs", ARN, ORG, frozenset())
    deep = "[" * 100_000 + "]" * 100_000
    wide = json.dumps(
        {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*"}] * 50_000}
    )
    many_keys = json.dumps(
        {"Statement": {"Condition": {f"StringLike{i}": {"k": "*" * 50} for i in range(20_000)}}}
    )
    for text in (deep, wide, many_keys, "{" * 10, "\x00" * 1000):
        started = time.monotonic()
        with contextlib.suppress(PolicyParseError):
            judge_policy(text, context)
        assert time.monotonic() - started < 2, text[:40]
