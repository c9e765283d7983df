"""Who may put events on the workload's EventBridge buses (practice a1)."""

from __future__ import annotations

from collections.abc import Iterator

from wa_review.checks.support.helpers import Emitter
from wa_review.checks.support.policy_grading import holder_evidence
from wa_review.checks.support.registry import check
from wa_review.model.evidence import Evidence, Severity
from wa_review.model.inventory import AccountInventory, CheckConfig
from wa_review.model.snapshots.events import EventsSnapshot


@check(
    "events.bus_policy_public",
    title="EventBridge bus policies let in neither the public nor untrusted accounts",
    severity=Severity.HIGH,
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
def bus_policy_public(inv: AccountInventory, cfg: CheckConfig, emit: Emitter) -> Iterator[Evidence]:
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
