"""Who may use the workload's queues, topics and event buses (practice a1)."""

from __future__ import annotations

from collections.abc import Iterator

from wa_review.checks.support.helpers import Emitter
from wa_review.checks.support.policy_grading import holder_evidence
from wa_review.checks.support.registry import check
from wa_review.model.evidence import Evidence, Severity
from wa_review.model.inventory import AccountInventory, CheckConfig
from wa_review.model.snapshots.events import EventsSnapshot
from wa_review.model.snapshots.sns import SnsSnapshot
from wa_review.model.snapshots.sqs import SqsSnapshot

A1 = "sec_sec_q2_a1"


@check(
    "sqs.queue_policy_public",
    title="SQS queue policies let in neither the public nor untrusted accounts",
    severity=Severity.CRITICAL,
    choice_id=A1,
    service="sqs",
    rationale="A queue policy that allows '*' without a pinning condition lets anyone send, read or "
    "delete messages; an untrusted account in it crosses the workload's boundary. A topic of this "
    "account delivering through '*' + aws:SourceArn (the SNS fan-out pattern) is fine.",
    remediation="Replace '*' with the principals that need the queue, or pin it with aws:SourceArn "
    "(the topic or rule of this account), aws:SourceAccount or aws:PrincipalOrgID "
    "(`aws sqs set-queue-attributes --attributes Policy=...`).",
    references=(
        "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-basic-examples-of-sqs-policies.html",
        "https://docs.aws.amazon.com/sns/latest/dg/subscribe-sqs-queue-to-sns-topic.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/sqs-controls.html",
    ),
)
def queue_policy_public(inv: AccountInventory, cfg: CheckConfig) -> Iterator[Evidence]:
    emit = Emitter("sqs.queue_policy_public", A1, inv.account)
    yield from holder_evidence(
        inv, cfg, emit, SqsSnapshot, lambda s: s.queues, what="SQS queues", resource_type="sqs"
    )


@check(
    "sns.topic_policy_public",
    title="SNS topic policies let in neither the public nor untrusted accounts",
    severity=Severity.HIGH,
    choice_id=A1,
    service="sns",
    rationale="Anyone allowed to publish to a topic can inject messages into every subscriber; anyone "
    "allowed to subscribe can read them. Every statement is judged: one scoped statement does not "
    "excuse an open one after it.",
    remediation="Remove statements that allow '*' without aws:SourceOwner / aws:SourceAccount / "
    "aws:SourceArn / aws:PrincipalOrgID, and name other accounts only when they belong to the "
    "workload (`aws sns set-topic-attributes --attribute-name Policy`).",
    references=(
        "https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/sns-controls.html",
    ),
)
def topic_policy_public(inv: AccountInventory, cfg: CheckConfig) -> Iterator[Evidence]:
    emit = Emitter("sns.topic_policy_public", A1, inv.account)
    yield from holder_evidence(
        inv,
        cfg,
        emit,
        SnsSnapshot,
        lambda s: s.topics,
        what="SNS topics",
        resource_type="sns",
        none_text="no topic policy: only IAM principals of this account can use it",
    )


@check(
    "events.bus_policy_public",
    title="EventBridge bus policies let in neither the public nor untrusted accounts",
    severity=Severity.HIGH,
    choice_id=A1,
    service="events",
    rationale="A bus whose policy lets any account put events lets strangers trigger the workload's "
    "rules and functions. A bus without a policy (the default bus included) accepts events only from "
    "this account. Access Analyzer does not cover event buses, so this is the only check on them.",
    remediation="Remove the public permission (`aws events remove-permission`) and grant named "
    "accounts, or the organization with aws:PrincipalOrgID, instead.",
    references=(
        "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus-perms.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/eventbridge-controls.html",
    ),
)
def bus_policy_public(inv: AccountInventory, cfg: CheckConfig) -> Iterator[Evidence]:
    emit = Emitter("events.bus_policy_public", A1, inv.account)
    yield from holder_evidence(
        inv,
        cfg,
        emit,
        EventsSnapshot,
        lambda s: s.buses,
        what="EventBridge event buses",
        resource_type="events",
        label_prefix="bus ",
        none_text="no resource policy: only this account can put events on it",
    )
