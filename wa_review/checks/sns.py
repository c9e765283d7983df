"""Who may publish to or subscribe to the workload's SNS topics (practice a1)."""

from __future__ import annotations

from collections.abc import Iterator

from wa_review.checks.support.helpers import Emitter
from wa_review.checks.support.policy_grading import holder_evidence
from wa_review.checks.support.registry import check
from wa_review.model.evidence import Evidence, Severity
from wa_review.model.inventory import AccountInventory, CheckConfig
from wa_review.model.snapshots.sns import SnsSnapshot


@check(
    "sns.topic_policy_public",
    title="SNS topic policies let in neither the public nor untrusted accounts",
    severity=Severity.HIGH,
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
def topic_policy_public(
    inv: AccountInventory, cfg: CheckConfig, emit: Emitter
) -> Iterator[Evidence]:
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
