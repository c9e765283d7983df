"""From a collection to evidence: run every check over every account, then build the file."""

from __future__ import annotations

from datetime import UTC, datetime

from wa_review import __version__
from wa_review.aws.run import Collection
from wa_review.checks import all_checks
from wa_review.model.evidence import Evidence
from wa_review.model.evidence_file import CollectionStats, EvidenceFile
from wa_review.model.inventory import CheckConfig


def run_checks(collection: Collection, config: CheckConfig) -> list[Evidence]:
    """Checks are pure: the same inventory always gives the same evidence."""
    evidence: list[Evidence] = []
    for check in all_checks():
        for inventory in collection.inventories:
            evidence.extend(check.run(inventory, config))
    return evidence


def build_evidence_file(collection: Collection, evidence: list[Evidence]) -> EvidenceFile:
    return EvidenceFile(
        tool_version=__version__,
        collected_at=datetime.now(UTC).isoformat(timespec="seconds"),
        accounts=tuple(i.account for i in collection.inventories),
        regions=collection.regions,
        scope=collection.scope.describe(),
        stats=CollectionStats(
            calls=collection.calls,
            errors=len(collection.errors),
            seconds=collection.seconds,
            throttled=collection.retries,
        ),
        errors=collection.errors,
        evidence=tuple(evidence),
    )
