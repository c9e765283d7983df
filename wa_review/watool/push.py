"""Push one reviewed answer to the WA Tool: plan (read, diff) -> confirm -> write, milestone, PDF.

    plan = plan_push(client, payload, PushOptions(workload_name="orders"))
    result = finish_push(client, plan, confirm=lambda plan: True)

`push_review` does both. Planning only reads, except that it creates the workload (`--create`)
and associates the lens when they are missing, because the answer cannot be read otherwise, and
that it upgrades a NOT_CURRENT lens review when `upgrade(offer)` says yes (then the answer is read
from the upgraded lens). In a dry run it writes nothing at all and never asks about an upgrade.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError

from wa_review.errors import WaReviewError, WaToolError
from wa_review.watool.client import FreshRetry, WaClient, call
from wa_review.watool.diff import AnswerDiff, CurrentAnswer, build_diff, render_diff
from wa_review.watool.lens_match import (
    QuestionMatch,
    list_answer_summaries,
    match_question,
    unchecked_match,
)
from wa_review.watool.milestone import (
    check_milestone_name,
    create_milestone,
    default_milestone_name,
    save_lens_review_report,
)
from wa_review.watool.payload import AnswerPayload
from wa_review.watool.request import (
    build_update_request,
    describe_written,
    validate_update_request,
)
from wa_review.watool.upgrade import (
    NOT_CURRENT,
    LensUpgrade,
    LensUpgradeOffer,
    default_upgrade_milestone_name,
    reporting_upgrade,
    upgrade_done,
    upgrade_lens_review,
    with_upgrade_hint,
)
from wa_review.watool.workload import (
    LensReviewInfo,
    WorkloadRef,
    WorkloadSpec,
    associate_lens,
    get_lens_review,
    resolve_workload,
)

# Every WA Tool action a push may call (for `wa-review iam-policy --push`); a test checks that
# the emulator saw nothing else.
WATOOL_IAM_ACTIONS: tuple[str, ...] = tuple(
    f"wellarchitected:{operation}"
    for operation in (
        "ListWorkloads",
        "GetWorkload",
        "CreateWorkload",
        "AssociateLenses",
        "GetLensReview",
        "UpgradeLensReview",
        "ListAnswers",
        "GetAnswer",
        "UpdateAnswer",
        "CreateMilestone",
        "GetLensReviewReport",
    )
)
CURRENT = "CURRENT"
UpgradeDecision = Callable[[LensUpgradeOffer], bool]


class PushOutcome(StrEnum):
    DRY_RUN = "DRY_RUN"  # planned only; nothing was written
    UNCHANGED = "UNCHANGED"  # the WA Tool already holds this answer
    DECLINED = "DECLINED"  # the reviewer said no
    WRITTEN = "WRITTEN"


@dataclass(frozen=True, slots=True)
class PushOptions:
    workload_name: str | None = None
    workload_id: str | None = None
    create: WorkloadSpec | None = None  # create the workload if no workload has the name
    milestone_name: str | None = None  # default: wa-review-sec2-<UTC timestamp>
    pdf_path: Path | None = None  # write the WA Tool's PDF report here
    dry_run: bool = False
    # The milestone UpgradeLensReview saves; default: "Before lens upgrade <UTC timestamp>".
    upgrade_milestone_name: str | None = None


@dataclass(frozen=True, slots=True)
class PushPlan:
    """Everything the reviewer confirms: where the answer goes and what changes."""

    workload_id: str | None  # None only in a dry run that would create the workload
    workload_name: str
    workload_created: bool  # created by this push (so ResourceNotFound is retried)
    lens_alias: str
    lens_version: str | None  # None when the lens could not be read (dry run)
    lens_status: str | None
    lens_associated: bool  # associated by this push
    diff: AnswerDiff
    risk_before: str
    update_request: Mapping[str, Any]
    milestone_name: str
    pdf_path: Path | None
    dry_run: bool
    warnings: tuple[str, ...] = ()
    upgrade_offer: LensUpgradeOffer | None = None  # the lens review is NOT_CURRENT, not upgraded
    lens_upgrade: LensUpgrade | None = None  # upgraded before this plan was read

    @property
    def has_changes(self) -> bool:
        return self.diff.changed

    def describe(self) -> list[str]:
        """The plan as plain lines (the CLI echoes them; the TUI can show them)."""
        if self.workload_id is None:
            where = f"Workload: {self.workload_name} (would be created)"
        else:
            created = ", created now" if self.workload_created else ""
            where = f"Workload: {self.workload_name} ({self.workload_id}{created})"
        version = self.lens_version or "not read"
        status = self.lens_status or "unknown"
        associated = ", associated now" if self.lens_associated else ""
        lines = [where]
        if self.lens_upgrade is not None:
            lines.append(self.lens_upgrade.describe())
        lines.append(f"Lens: {self.lens_alias} version {version} ({status}{associated})")
        if self.upgrade_offer is not None and self.dry_run:
            lines.append(
                "Lens upgrade: a push would offer to upgrade the lens review first (milestone "
                f"{self.upgrade_offer.milestone_name!r} would keep the current answers); a dry "
                "run never upgrades."
            )
        lines += [f"Risk in the WA Tool now: {self.risk_before}", *render_diff(self.diff)]
        lines += [f"warning: {w}" for w in self.warnings]
        return lines


@dataclass(frozen=True, slots=True)
class PushResult:
    plan: PushPlan
    outcome: PushOutcome
    risk_after: str | None = None
    written_choices: tuple[str, ...] = ()
    milestone_name: str | None = None
    milestone_number: int | None = None
    pdf_path: Path | None = None


def _now() -> datetime:
    return datetime.now(UTC)


def plan_push(
    client: WaClient,
    payload: AnswerPayload,
    options: PushOptions,
    *,
    fresh_retry: FreshRetry | None = None,
    now: Callable[[], datetime] = _now,
    upgrade: UpgradeDecision | None = None,
) -> PushPlan:
    """Steps 1-4: workload, lens (upgraded first if `upgrade(offer)` says so), question and
    choices, current answer, diff. `upgrade` is asked only when the lens review is NOT_CURRENT,
    never in a dry run; without it nothing is upgraded."""
    fresh_retry = fresh_retry or FreshRetry()
    stamp = now()
    milestone = check_milestone_name(options.milestone_name or default_milestone_name(stamp))
    upgrade_milestone = check_milestone_name(
        options.upgrade_milestone_name or default_upgrade_milestone_name(stamp)
    )
    alias = payload.lens_alias
    workload = resolve_workload(
        client,
        name=options.workload_name,
        workload_id=options.workload_id,
        create=options.create,
        lens_alias=alias,
        dry_run=options.dry_run,
    )
    fresh = fresh_retry if workload is not None and workload.created else None
    warnings: list[str] = []
    associated = False
    if workload is not None and not workload.has_lens(alias) and not options.dry_run:
        workload = associate_lens(client, workload, alias, fresh=fresh)
        associated = True
    version = status = None
    offer: LensUpgradeOffer | None = None
    lens_upgrade: LensUpgrade | None = None
    if workload is None or not workload.has_lens(alias):
        # Dry run only: without the lens on a workload there is no answer to read.
        match = unchecked_match(payload)
        current = CurrentAnswer(choices={})
    else:
        review = get_lens_review(client, workload.workload_id, alias, fresh=fresh)
        if review.status == NOT_CURRENT:
            offer = LensUpgradeOffer(
                workload.workload_id,
                workload.name,
                alias,
                review.version,
                review.status,
                upgrade_milestone,
            )
        upgraded = None
        if offer is not None and not options.dry_run and upgrade is not None and upgrade(offer):
            upgrade_lens_review(client, offer, fresh=fresh)
            upgraded, offer = offer, None
        with reporting_upgrade(upgraded):
            if upgraded is not None:  # the question and choice ids may have changed: read again
                review = get_lens_review(client, workload.workload_id, alias, fresh=fresh)
                lens_upgrade = upgrade_done(upgraded, review)
            match, current = _read_answer(
                client, workload, payload, review, fresh=fresh, offer=offer
            )
        version, status = review.version, review.status
        if review.status != CURRENT:
            warnings.append(
                f"The {alias} lens on this workload is {review.status} (version {review.version}): "
                "the answer goes to that version. Upgrade the lens review first to answer the "
                "current questions."
            )
    warnings.extend(match.warnings)
    diff = build_diff(current, payload, match)
    workload_id = workload.workload_id if workload else None
    request = build_update_request(workload_id or "(new workload)", alias, diff)
    validate_update_request(request)
    return PushPlan(
        workload_id=workload_id,
        workload_name=workload.name if workload else (options.workload_name or ""),
        workload_created=bool(workload and workload.created),
        lens_alias=alias,
        lens_version=version,
        lens_status=status,
        lens_associated=associated,
        diff=diff,
        risk_before=current.risk,
        update_request=request,
        milestone_name=milestone,
        pdf_path=options.pdf_path,
        dry_run=options.dry_run,
        warnings=tuple(warnings),
        upgrade_offer=offer,
        lens_upgrade=lens_upgrade,
    )


def _read_answer(
    client: WaClient,
    workload: WorkloadRef,
    payload: AnswerPayload,
    review: LensReviewInfo,
    *,
    fresh: FreshRetry | None,
    offer: LensUpgradeOffer | None,
) -> tuple[QuestionMatch, CurrentAnswer]:
    """Our question in the live lens (by id, then title) and what the WA Tool holds for it."""
    summaries = list_answer_summaries(
        client, workload.workload_id, review.alias, payload.pillar_id, fresh=fresh
    )
    try:
        match = match_question(summaries, payload, lens_version=review.version)
    except WaReviewError as err:
        if offer is None:
            raise
        raise with_upgrade_hint(err, offer) from err
    answer = call(
        client,
        "GetAnswer",
        fresh=fresh,
        WorkloadId=workload.workload_id,
        LensAlias=review.alias,
        QuestionId=match.question_id,
    )["Answer"]
    return match, CurrentAnswer.from_api(answer)


def finish_push(
    client: WaClient,
    plan: PushPlan,
    *,
    confirm: Callable[[PushPlan], bool],
    fresh_retry: FreshRetry | None = None,
) -> PushResult:
    """Steps 5-6: on confirmation UpdateAnswer, then a milestone and the PDF report."""
    if plan.dry_run or plan.workload_id is None:
        return PushResult(plan, PushOutcome.DRY_RUN)
    fresh = (fresh_retry or FreshRetry()) if plan.workload_created else None
    if not plan.has_changes:
        pdf = _report(client, plan, milestone_number=None, fresh=fresh)
        return PushResult(plan, PushOutcome.UNCHANGED, risk_after=plan.risk_before, pdf_path=pdf)
    if not confirm(plan):
        return PushResult(plan, PushOutcome.DECLINED)
    validate_update_request(plan.update_request)
    question = plan.update_request["QuestionId"]
    try:
        updated = call(
            client,
            "UpdateAnswer",
            fresh=fresh,
            subject=f"workload {plan.workload_name!r}",
            **plan.update_request,
        )
    except WaReviewError as err:  # the service refused it (or it was never sent)
        raise type(err)(
            f"{_what(err)}. Nothing was written: the WA Tool still holds the previous answer "
            f"to {question}.",
            hint=err.hint,
        ) from err
    except BotoCoreError as err:  # sent, but no answer came back: it may have been applied
        raise WaToolError(
            f"WA Tool UpdateAnswer on workload {plan.workload_name!r} got no answer ({err}); "
            f"the answer to {question} may or may not have been written.",
            hint="Run 'wa-review push --dry-run' to see what the WA Tool holds now.",
        ) from err
    risk_after = str(updated.get("Answer", {}).get("Risk", "UNANSWERED"))
    # From here on the answer is in the WA Tool: a later failure must say exactly what it holds.
    changed = {c.choice_id for c in plan.diff.changed_choices}
    written = describe_written(plan.update_request, changed)
    done = f"The answer was written to workload {plan.workload_name!r}: {written}."
    try:
        number, name = create_milestone(client, plan.workload_id, plan.milestone_name, fresh=fresh)
    except (WaReviewError, BotoCoreError) as err:
        raise WaToolError(
            f"{_what(err)}. {done} No milestone was created and no PDF was saved.",
            hint="Save a milestone in the WA Tool console; pushing again finds the answer "
            "unchanged and only fetches the PDF.",
        ) from err
    try:
        pdf = _report(client, plan, milestone_number=number, fresh=fresh)
    except (WaReviewError, BotoCoreError) as err:
        raise WaToolError(
            f"{_what(err)}. {done} Milestone {name!r} (#{number}) was created; the PDF was "
            "not saved.",
            hint="Download the report from the WA Tool console, or push again for the PDF.",
        ) from err
    return PushResult(
        plan,
        PushOutcome.WRITTEN,
        risk_after=risk_after,
        written_choices=tuple(plan.update_request["ChoiceUpdates"]),
        milestone_name=name,
        milestone_number=number,
        pdf_path=pdf,
    )


def _what(err: Exception) -> str:
    return (err.message if isinstance(err, WaReviewError) else str(err)).rstrip(".")


def _report(
    client: WaClient, plan: PushPlan, *, milestone_number: int | None, fresh: FreshRetry | None
) -> Path | None:
    if plan.pdf_path is None or plan.workload_id is None:
        return None
    return save_lens_review_report(
        client,
        plan.workload_id,
        plan.lens_alias,
        plan.pdf_path,
        milestone_number=milestone_number,
        fresh=fresh,
    )


def push_review(
    client: WaClient,
    payload: AnswerPayload,
    options: PushOptions,
    *,
    confirm: Callable[[PushPlan], bool],
    fresh_retry: FreshRetry | None = None,
    now: Callable[[], datetime] = _now,
    upgrade: UpgradeDecision | None = None,
) -> PushResult:
    """The whole flow; `upgrade(offer)` decides whether a NOT_CURRENT lens review is upgraded
    first, `confirm(plan)` whether the answer is written."""
    plan = plan_push(client, payload, options, fresh_retry=fresh_retry, now=now, upgrade=upgrade)
    return finish_push(client, plan, confirm=confirm, fresh_retry=fresh_retry)
