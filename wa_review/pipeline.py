"""From a collection to evidence: run every check over every account, then build the file.

No boto3 here (the TUI's early-evidence preview runs checks through `run_check` too).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from wa_review import __version__
from wa_review.aws.run import Collection
from wa_review.checks import RegisteredCheck, all_checks
from wa_review.model.evidence import Evidence, Status
from wa_review.model.evidence_file import CollectionStats, EvidenceFile
from wa_review.model.inventory import AccountInventory, CheckConfig

if TYPE_CHECKING:
    from wa_review.aws.run import Collection

log = logging.getLogger(__name__)

# The error code of the evidence a check that raised leaves.
CHECK_FAILED = "CheckFailed"


def run_check(
    check: RegisteredCheck, inventory: AccountInventory, config: CheckConfig
) -> tuple[Evidence, ...]:
    """One check over one account; a check that raises gives UNKNOWN evidence, not a crash.

    A bug in one check (or a shape it did not expect) must not cost the other checks' evidence
    nor the collection: the error is the evidence, and the traceback goes to the log.
    """
    try:
        return tuple(check.run(inventory, config))
    except Exception as err:  # any bug in a check: isolated, never swallowed (UNKNOWN below)
        log.error("check %s failed on account %s", check.meta.id, inventory.account, exc_info=True)
        return (check_failed(check, inventory, err),)


def check_failed(check: RegisteredCheck, inventory: AccountInventory, err: Exception) -> Evidence:
    """The UNKNOWN evidence a check that raised leaves: which check, which error."""
    reason = f"{type(err).__name__}: {err}" if str(err) else type(err).__name__
    return Evidence(
        check_id=check.meta.id,
        status=Status.UNKNOWN,
        resource_arn="",
        region=inventory.home_region,
        account=inventory.account,
        summary=f"The check {check.meta.id} failed ({reason}); nothing it covers was judged",
        details={
            "error": {
                "service": check.meta.service,
                "operation": "check",
                "code": CHECK_FAILED,
                "message": reason,
                "region": inventory.home_region,
                "account": inventory.account,
                "resource": "",
            }
        },
    )


def run_checks(
    collection: Collection,
    config: CheckConfig,
    *,
    checks: Sequence[RegisteredCheck] | None = None,
) -> list[Evidence]:
    """Every check (default: all registered) over every account. Checks are pure: the same
    inventory always gives the same evidence."""
    evidence: list[Evidence] = []
    config = collection.trusting(config)  # an --org-role review trusts its organization
    for check in all_checks() if checks is None else checks:
        for inventory in collection.inventories:
            evidence.extend(run_check(check, inventory, config))
    return evidence


def build_evidence_file(collection: Collection, evidence: list[Evidence]) -> EvidenceFile:
    return EvidenceFile(
        tool_version=__version__,
        collected_at=datetime.now(UTC).isoformat(timespec="seconds"),
        accounts=tuple(i.account for i in collection.inventories),
        regions=collection.regions,
        scope=collection.describe_scope(),
        stats=CollectionStats(
            calls=collection.calls,
            errors=len(collection.errors),
            seconds=collection.seconds,
            throttled=collection.retries,
        ),
        errors=collection.errors,
        evidence=tuple(evidence),
    )
