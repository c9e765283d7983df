"""Who may use the workload's SQS queues (practice a1)."""

from __future__ import annotations

from collections.abc import Iterator

from wa_review.checks.support.helpers import Emitter
from wa_review.checks.support.policy_grading import holder_evidence
from wa_review.checks.support.registry import check
from wa_review.model.evidence import Evidence, Severity
from wa_review.model.inventory import AccountInventory, CheckConfig
from wa_review.model.snapshots.sqs import SqsSnapshot


@check(
    "sqs.queue_policy_public",
    title="SQS queue policies let in neither the public nor untrusted accounts",
    severity=Severity.CRITICAL,
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
def queue_policy_public(
    inv: AccountInventory, cfg: CheckConfig, emit: Emitter
) -> Iterator[Evidence]:
    yield from holder_evidence(
        inv, cfg, emit, SqsSnapshot, lambda s: s.queues, what="SQS queues", resource_type="sqs"
    )
