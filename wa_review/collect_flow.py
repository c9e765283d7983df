"""Collect -> judge -> write the evidence file: the one flow behind `collect`, the TUI and the demo.

The callers only present what happens (progress lines, a live screen, a headless log); how
evidence is made, and that a cancelled collection saves nothing, lives here once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from wa_review.aws.context import AwsContext
from wa_review.aws.run import InventoryFn, InventorySoFar, ProgressFn, collect_inventory
from wa_review.errors import UsageError
from wa_review.model.evidence_file import EvidenceFile
from wa_review.model.inventory import CheckConfig
from wa_review.pipeline import build_evidence_file, run_checks
from wa_review.preview import Preview, PreviewChecks

PreviewFn = Callable[[Preview], None]


def collect_and_judge(
    ctx: AwsContext,
    *,
    config: CheckConfig,
    out: Path | None = None,
    stacks: tuple[str, ...] = (),
    tags: tuple[tuple[str, str], ...] = (),
    on_progress: ProgressFn | None = None,
    on_preview: PreviewFn | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> EvidenceFile | None:
    """Collect, run every check, and save the evidence file to `out` (if given).

    Returns None when cancelled, and saves nothing then: half an inventory would read as
    "nothing found". `on_preview` gets the evidence of each check as soon as everything it
    reads is in (wa_review.preview).
    """
    on_inventory: InventoryFn | None = None
    if on_preview is not None:
        checks = PreviewChecks(config)
        report = on_preview

        def on_inventory(so_far: InventorySoFar) -> None:
            report(checks.advance(so_far))

    collection = collect_inventory(
        ctx,
        stacks=stacks,
        tags=tags,
        on_progress=on_progress,
        on_inventory=on_inventory,
        cancelled=cancelled,
    )
    if collection.cancelled or cancelled():
        return None
    evidence = build_evidence_file(collection, run_checks(collection, config))
    if out is not None:
        try:
            evidence.save(out)
        except OSError as err:
            raise UsageError(
                f"Cannot write the evidence file {out}: {err.strerror or err}",
                hint="Choose a file in a folder you can write to (-o).",
            ) from err
    return evidence
