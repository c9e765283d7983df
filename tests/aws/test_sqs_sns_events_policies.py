"""SQS, SNS and EventBridge: collectors against moto, checks resource by resource."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from tests.aws.faults import deny
from tests.aws.fixtures import resource_policy_account as account
from tests.conftest import make_context
from wa_review.aws.api import RegionApi
from wa_review.aws.collectors.events import EventsCollector
from wa_review.aws.collectors.sns import SnsCollector
from wa_review.aws.collectors.sqs import SqsCollector
from wa_review.aws.iam_policy import iam_action_for
from wa_review.aws.run import Collection, collect_inventory
from wa_review.aws.scope import Scope, ScopeMode
from wa_review.checks.events import bus_policy_public
from wa_review.checks.sns import topic_policy_public
from wa_review.checks.sqs import queue_policy_public
from wa_review.model.evidence import Evidence, Status
from wa_review.model.inventory import CheckConfig

COLLECTORS = (SqsCollector, SnsCollector, EventsCollector)


def _collect(session: Any, hooks: Sequence[Callable[..., Any]] = (), **kwargs: Any) -> Collection:
    ctx = make_context(session)
    ctx.before_send_hooks.extend(hooks)
    return collect_inventory(ctx, collectors=COLLECTORS, **kwargs)


def _by_name(evidence: list[Evidence]) -> dict[str, Evidence]:
    """Evidence keyed by the last part of the resource ARN (queue, topic or bus name)."""
    return {e.resource_arn.rsplit(":", 1)[-1].rsplit("/", 1)[-1]: e for e in evidence}


def _statuses(evidence: list[Evidence]) -> dict[str, Status]:
    return {name: e.status for name, e in _by_name(evidence).items()}


def test_queue_policies_are_graded_queue_by_queue(moto: Any) -> None:
    account.queues(moto)
    collection = _collect(moto)
    inv = collection.inventories[0]
    evidence = list(queue_policy_public(inv, CheckConfig()))
    assert _statuses(evidence) == {
        "orders-queue": Status.PASS,  # no policy
        "public-queue": Status.FAIL,
        "partner-queue": Status.WARN,
        "fanout-queue": Status.PASS,  # '*' pinned to our own topic by aws:SourceArn
        "locked-queue": Status.PASS,
    }
    failed = _by_name(evidence)["public-queue"]
    assert "anyone" in failed.summary and failed.summary.startswith("public-queue:")
    assert failed.details["reasons"][0]["statement_json"]["Principal"] == "*"
    assert "999988887777" in _by_name(evidence)["partner-queue"].summary
    json.dumps([e.to_dict() for e in evidence])  # details stay JSON-serialisable
    # Every call made is declared, so the generated least-privilege policy allows it.
    made = {iam_action_for(*k.split(":", 1)) for k in collection.calls} - {"sts:GetCallerIdentity"}
    declared = {a for c in COLLECTORS for a in c.iam_actions}
    assert made <= declared
    assert not collection.errors


def test_a_queue_whose_attributes_are_denied_is_unknown_alone(moto: Any) -> None:
    account.queues(moto)
    locked = deny("GetQueueAttributes", when=lambda r: b"locked-queue" in (r.body or b""))
    inv = _collect(moto, [locked]).inventories[0]
    statuses = _statuses(list(queue_policy_public(inv, CheckConfig())))
    assert statuses["locked-queue"] is Status.UNKNOWN
    assert statuses["public-queue"] is Status.FAIL
    assert statuses["orders-queue"] is Status.PASS
    unknown = _by_name(list(queue_policy_public(inv, CheckConfig())))["locked-queue"]
    assert "AccessDenied" in unknown.summary
    assert unknown.details["error"]["operation"] == "GetQueueAttributes"


def test_a_denied_listing_is_one_unknown_for_the_region_and_spares_other_services(
    moto: Any,
) -> None:
    account.queues(moto)
    account.topics(moto)
    inv = _collect(moto, [deny("ListQueues")]).inventories[0]
    queues = list(queue_policy_public(inv, CheckConfig()))
    assert [(e.status, e.resource_arn, e.region) for e in queues] == [
        (Status.UNKNOWN, "", "us-east-1")
    ]
    assert "SQS queues" in queues[0].summary
    topics = _statuses(list(topic_policy_public(inv, CheckConfig())))
    assert topics == {
        "orders-topic": Status.PASS,
        "public-topic": Status.FAIL,
        "partner-topic": Status.WARN,
    }


def test_a_policy_the_judge_cannot_read_stays_unknown(moto: Any) -> None:
    arn = f"arn:aws:sqs:{account.REGION}:{account.ACCOUNT}:odd-queue"
    odd = account.policy(
        account.allow("*", "sqs:SendMessage", arn, Condition={"StringEqualz": {"aws:x": "y"}})
    )
    moto.client("sqs").create_queue(QueueName="odd-queue", Attributes={"Policy": odd})
    inv = _collect(moto).inventories[0]
    [evidence] = queue_policy_public(inv, CheckConfig())
    assert evidence.status is Status.UNKNOWN
    assert "could not be judged" in evidence.summary


def test_every_topic_statement_is_judged(moto: Any) -> None:
    account.topics(moto)
    inv = _collect(moto).inventories[0]
    evidence = _by_name(list(topic_policy_public(inv, CheckConfig())))
    assert evidence["orders-topic"].status is Status.PASS  # AWS's default policy: SourceOwner
    public = evidence["public-topic"]
    # The scoped first statement does not hide the open second one.
    assert public.status is Status.FAIL
    assert "anyone-subscribes" in public.summary
    assert [r["statement"] for r in public.details["reasons"]] == ["anyone-subscribes"]
    assert evidence["partner-topic"].status is Status.WARN


def test_bus_policies_in_moto_shape_and_in_aws_shape(moto: Any) -> None:
    account.buses(moto)
    inv = _collect(moto, [account.star_bus_hook()]).inventories[0]
    evidence = _by_name(list(bus_policy_public(inv, CheckConfig())))
    assert {k: e.status for k, e in evidence.items()} == {
        "default": Status.PASS,
        "orders-bus": Status.PASS,  # a custom bus without a policy
        "public-bus": Status.FAIL,  # moto: {"AWS": "arn:aws:iam::*:root"}
        "partner-bus": Status.WARN,
        "star-bus": Status.FAIL,  # AWS: "Principal": "*"
    }
    star = evidence["star-bus"].details["reasons"][0]["statement_json"]
    assert star["Principal"] == "*"
    moto_star = evidence["public-bus"].details["reasons"][0]["statement_json"]
    assert moto_star["Principal"] == {"AWS": "arn:aws:iam::*:root"}
    assert "only this account" in evidence["default"].summary


def test_trusted_accounts_are_not_warned_about(moto: Any) -> None:
    account.queues(moto)
    inv = _collect(moto).inventories[0]
    cfg = CheckConfig(trusted_accounts=frozenset({account.PARTNER}))
    assert _statuses(list(queue_policy_public(inv, cfg)))["partner-queue"] is Status.PASS


def test_nothing_in_scope_is_not_applicable_and_makes_no_per_resource_calls(moto: Any) -> None:
    account.queues(moto)
    account.topics(moto)
    account.buses(moto)
    collection = _collect(moto, tags=(("app", "none"),))
    inv = collection.inventories[0]
    for fn in (queue_policy_public, topic_policy_public, bus_policy_public):
        [evidence] = fn(inv, CheckConfig())
        assert evidence.status is Status.NOT_APPLICABLE
        assert evidence.summary.endswith("in scope in us-east-1")
    for call in ("sqs:GetQueueAttributes", "sns:GetTopicAttributes", "events:DescribeEventBus"):
        assert call not in collection.calls


def test_a_queue_is_in_scope_by_its_url(moto: Any) -> None:
    account.queues(moto)
    url = f"https://sqs.{account.REGION}.amazonaws.com/{account.ACCOUNT}/public-queue"
    ctx = make_context(moto)
    with ThreadPoolExecutor(2) as pool:
        scope = Scope(mode=ScopeMode.STACKS, identifiers=frozenset({url}))
        api = RegionApi(ctx, ctx.accounts()[0], account.REGION, scope, pool=pool)
        snap = SqsCollector().collect(api)
    assert [q.name for q in snap.queues if q.in_scope] == ["public-queue"]
    assert ctx.recorder.calls["sqs:GetQueueAttributes"] == 1
