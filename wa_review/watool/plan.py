"""What a push will do, in one place: the plan the reviewer confirms and the words for its outcome.

The CLI echoes these lines, the TUI shows the same lines in its confirmation dialog and the
demo prints them, so every front-end says the same thing about the same push.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from wa_review.watool.diff import AnswerDiff, render_diff
from wa_review.watool.milestone import MILESTONES_MAX
from wa_review.watool.payload import AnswerPayload
from wa_review.watool.upgrade import LensUpgrade, LensUpgradeOffer
from wa_review.watool.workload import CoverageUpdate, WorkloadSpec


class PushOutcome(StrEnum):
    DRY_RUN = "DRY_RUN"  # planned only; nothing was written
    UNCHANGED = "UNCHANGED"  # the WA Tool already holds this answer; nothing to write
    DECLINED = "DECLINED"  # the reviewer said no
    WRITTEN = "WRITTEN"


@dataclass(frozen=True, slots=True)
class PushOptions:
    workload_name: str | None = None
    workload_id: str | None = None
    create: WorkloadSpec | None = None  # create the workload if no workload has the name
    milestone_name: str | None = None  # default: wa-review-sec2-<UTC timestamp>
    milestone: bool = True  # False: push without a milestone
    retry_milestone: str | None = None  # a milestone that failed after the last push's write
    pdf_path: Path | None = None  # write the WA Tool's PDF report here
    dry_run: bool = False
    # The milestone UpgradeLensReview saves; default: "Before lens upgrade <UTC timestamp>".
    upgrade_milestone_name: str | None = None
    # The accounts and Regions the evidence covers (an existing workload that lacks some is
    # offered an UpdateWorkload adding them, unless update_workload is False).
    regions: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()
    update_workload: bool = True


@dataclass(frozen=True, slots=True)
class PushPlan:
    """Everything the reviewer confirms: where the answer goes and every write, in order."""

    workload_id: str | None  # None: the workload is created on yes (`create`)
    workload_name: str
    lens_alias: str
    lens_version: str | None
    lens_status: str | None
    diff: AnswerDiff
    risk_before: str
    update_request: Mapping[str, Any]
    milestone_name: str | None  # None: no milestone (see milestone_note)
    pdf_path: Path | None
    dry_run: bool
    payload: AnswerPayload = field(repr=False, compare=False)  # what the answer is built from
    region: str = ""
    create: WorkloadSpec | None = None  # CreateWorkload with these values
    coverage: CoverageUpdate | None = None  # UpdateWorkload adding accounts and Regions
    associate_lens: bool = False  # AssociateLenses on yes
    lens_checked: bool = True  # False: ids not read from the lens review yet (see describe)
    milestone_note: str | None = None
    milestone_retry: bool = False  # the last push wrote the answer but its milestone failed
    warnings: tuple[str, ...] = ()
    match_warnings: tuple[str, ...] = ()  # where our ids went in the lens (read again after
    # the preparing writes, so kept apart from the others)
    upgrade_offer: LensUpgradeOffer | None = None  # the lens review is NOT_CURRENT
    upgrade: bool = False  # UpgradeLensReview on yes
    # Set on the plan re-read after the preparing writes (workload, lens, upgrade) were made.
    workload_created: bool = False
    lens_associated: bool = False
    lens_upgrade: LensUpgrade | None = None
    owner: str = ""

    @property
    def has_changes(self) -> bool:
        return self.diff.changed

    @property
    def writes_milestone(self) -> bool:
        return self.milestone_name is not None and (self.diff.changed or self.milestone_retry)

    @property
    def writes(self) -> tuple[str, ...]:
        """The WA Tool operations a "yes" sends, in order."""
        steps = []
        if self.create is not None and self.workload_id is None:
            steps.append("CreateWorkload")
        if self.coverage is not None:
            steps.append("UpdateWorkload")
        if self.associate_lens:
            steps.append("AssociateLenses")
        if self.upgrade and self.upgrade_offer is not None:
            steps.append("UpgradeLensReview")
        if self.diff.changed:
            steps.append("UpdateAnswer")
        if self.writes_milestone:
            steps.append("CreateMilestone")
        return tuple(steps)

    def describe(self) -> list[str]:
        """The whole plan as plain lines (CLI, TUI dialog and demo show exactly these)."""
        where = f" in {self.region}" if self.region else ""
        if self.workload_id is None and self.create is not None:
            lines = [f"Workload: {self.workload_name} (not found{where}; created on yes with:)"]
            lines += self.create.describe()
        else:
            made = ", created now" if self.workload_created else ""
            lines = [f"Workload: {self.workload_name} ({self.workload_id}{where}{made})"]
        if self.coverage is not None:
            lines.append("Workload update (UpdateWorkload), so it names what the evidence covers:")
            lines += self.coverage.describe()
        if self.lens_upgrade is not None:
            lines.append(self.lens_upgrade.describe())
        lines += self._lens_lines()
        lines += [f"Risk in the WA Tool now: {self.risk_before}", *render_diff(self.diff)]
        lines.append(self._milestone_line())
        lines += [f"warning: {w}" for w in (*self.warnings, *self.match_warnings)]
        lines.append(self._writes_line())
        return lines

    def _lens_lines(self) -> list[str]:
        version = self.lens_version or "not read"
        added = self.associate_lens or (self.create is not None and self.workload_id is None)
        status = self.lens_status or ("not on the workload yet" if added else "unknown")
        associated = ", associated now" if self.lens_associated else ""
        lines = [f"Lens: {self.lens_alias} version {version} ({status}{associated})"]
        if self.associate_lens:
            lines.append(f"Lens association (AssociateLenses): add {self.lens_alias} on yes.")
        if not self.lens_checked:
            lines.append(
                "The lens was read with GetLens: its questions cannot be read before it is on "
                "the workload, so the ids below are wa-review's. They are checked against the "
                "WA Tool after the steps above and before the answer is written; if anything "
                "differs you are asked again."
            )
        offer = self.upgrade_offer
        if offer is not None and self.upgrade:
            lines.append(
                f"Lens upgrade (UpgradeLensReview): version {offer.lens_version} -> current on "
                f"yes; milestone {offer.milestone_name!r} keeps the answers as they are. The "
                "answer is read again after the upgrade; if it differs you are asked again."
            )
        elif offer is not None and self.dry_run:
            lines.append(
                "Lens upgrade: a push would offer to upgrade the lens review first (milestone "
                f"{offer.milestone_name!r} would keep the current answers); a dry run never "
                "upgrades."
            )
        elif offer is not None:
            lines.append(
                f"Lens upgrade: not in this plan (the review stays on {offer.lens_version}); "
                f"an upgrade would save milestone {offer.milestone_name!r} first."
            )
        return lines

    def _milestone_line(self) -> str:
        note = f" ({self.milestone_note})" if self.milestone_note else ""
        if self.milestone_name is None:
            return f"Milestone: none{note}"
        if not self.writes_milestone:
            return f"Milestone: none, the answer does not change{note}"
        retry = " (retrying the one the last push could not create)" if self.milestone_retry else ""
        return f"Milestone (CreateMilestone): {self.milestone_name!r}{retry}{note}"

    def _writes_line(self) -> str:
        if not self.writes:
            return "Nothing to write: the WA Tool already holds this answer."
        if self.dry_run:
            return "A push would write, in this order: " + ", ".join(self.writes) + "."
        return "Writes on yes, in this order: " + ", ".join(self.writes) + "."


@dataclass(frozen=True, slots=True)
class PushResult:
    plan: PushPlan
    outcome: PushOutcome
    risk_after: str | None = None
    written_choices: tuple[str, ...] = ()
    milestone_name: str | None = None
    milestone_number: int | None = None
    pdf_path: Path | None = None
    done: tuple[str, ...] = ()  # writes made before the answer (workload, lens, upgrade)
    milestone_error: str | None = None  # the answer was written, the milestone was not

    @property
    def pending_milestone(self) -> str | None:
        """The milestone the next push retries (the answer was written without it)."""
        return self.plan.milestone_name if self.milestone_error else None


def outcome_lines(result: PushResult) -> list[str]:
    """What happened, in the words every front-end uses."""
    plan = result.plan
    lines = [f"Done: {step}." for step in result.done]
    if result.outcome is PushOutcome.DRY_RUN:
        lines.append("Dry run: nothing was written.")
    elif result.outcome is PushOutcome.DECLINED:
        lines.append(
            "No answer was written." if result.done else "Nothing was written to the WA Tool."
        )
    elif result.outcome is PushOutcome.UNCHANGED:
        lines.append(
            f"The WA Tool already holds this answer; no answer written (risk {plan.risk_before})."
        )
    else:
        if plan.diff.changed:
            lines.append(f"Risk reported by the WA Tool: {plan.risk_before} -> {result.risk_after}")
        if result.milestone_number is not None:
            lines.append(f"Milestone: {result.milestone_name} (#{result.milestone_number})")
        if result.milestone_error:
            lines.append(
                f"warning: {result.milestone_error} The next push retries milestone "
                f"{result.pending_milestone!r}."
            )
    if result.pdf_path is not None:
        lines.append(f"Lens review report: {result.pdf_path}")
    return lines


def milestone_cap_note(used: int) -> str:
    return (
        f"the workload holds {used} milestones, the most the WA Tool allows ({MILESTONES_MAX}); "
        "the answer can still be written"
    )
