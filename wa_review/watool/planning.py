"""Plan a push: read the workload, the lens and the current answer, and say every write.

Reads only. The plan is what the reviewer confirms; `push.finish_push` makes the writes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from wa_review.errors import WaReviewError
from wa_review.watool.client import FreshRetry, WaClient, call
from wa_review.watool.diff import AnswerDiff, CurrentAnswer, build_diff
from wa_review.watool.lens_match import (
    QuestionMatch,
    list_answer_summaries,
    match_question,
    unchecked_match,
)
from wa_review.watool.milestone import (
    MILESTONES_MAX,
    check_milestone_name,
    default_milestone_name,
    milestones_used,
)
from wa_review.watool.payload import AnswerPayload
from wa_review.watool.plan import PushOptions, PushPlan, milestone_cap_note
from wa_review.watool.request import build_update_request, validate_update_request
from wa_review.watool.upgrade import (
    NOT_CURRENT,
    LensUpgradeOffer,
    default_upgrade_milestone_name,
    with_upgrade_hint,
)
from wa_review.watool.workload import (
    LensReviewInfo,
    WorkloadRef,
    coverage_update,
    get_lens,
    get_lens_review,
    resolve_workload,
)

CURRENT = "CURRENT"

UpgradeDecision = Callable[[LensUpgradeOffer], bool]


def now_utc() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class _Names:
    milestone: str
    upgrade_milestone: str


def plan_push(
    client: WaClient,
    payload: AnswerPayload,
    options: PushOptions,
    *,
    fresh_retry: FreshRetry | None = None,
    now: Callable[[], datetime] = now_utc,
    upgrade: UpgradeDecision | None = None,
) -> PushPlan:
    """Read the workload, the lens and the current answer, and plan every write. Reads only.

    `upgrade(offer)` is asked when the lens review is NOT_CURRENT (never in a dry run): yes puts
    the upgrade in the plan; it is made only after the whole plan is confirmed."""
    stamp = now()
    names = _Names(
        check_milestone_name(options.milestone_name or default_milestone_name(stamp)),
        check_milestone_name(
            options.upgrade_milestone_name or default_upgrade_milestone_name(stamp)
        ),
    )
    region = str(getattr(getattr(client, "meta", None), "region_name", "") or "")
    workload = resolve_workload(
        client,
        name=options.workload_name,
        workload_id=options.workload_id,
        create=options.create,
        region=region or None,
    )
    if workload is None:
        return _plan_new(client, payload, options, names, region)
    return _plan_existing(
        client, payload, options, workload, names, region, upgrade=upgrade, fresh=fresh_retry
    )


def _plan_new(
    client: WaClient, payload: AnswerPayload, options: PushOptions, names: _Names, region: str
) -> PushPlan:
    """A workload that does not exist yet: nothing can be read from it, so the lens is read
    with GetLens and the answer is planned on wa-review's own ids (checked after creation)."""
    assert options.create is not None
    lens = get_lens(client, payload.lens_alias)
    match = unchecked_match(payload)
    current = CurrentAnswer(choices={})
    diff = build_diff(current, payload, match)
    return PushPlan(
        workload_id=None,
        workload_name=options.create.name,
        lens_alias=payload.lens_alias,
        lens_version=lens.version or None,
        lens_status=None,
        diff=diff,
        risk_before=current.risk,
        update_request=checked_request("(new workload)", payload.lens_alias, diff),
        milestone_name=names.milestone if options.milestone else None,
        milestone_note=None if options.milestone else "--no-milestone",
        pdf_path=options.pdf_path,
        dry_run=options.dry_run,
        payload=payload,
        region=region,
        create=options.create,
        lens_checked=False,
        match_warnings=tuple(w for w in match.warnings if "not on this workload" not in w),
    )


@dataclass(frozen=True, slots=True)
class _LensRead:
    """What the plan learnt about the lens and the current answer on an existing workload."""

    version: str | None
    status: str | None
    checked: bool  # the ids come from the workload's lens review (not from wa-review's own)
    match: QuestionMatch
    current: CurrentAnswer
    offer: LensUpgradeOffer | None = None
    upgrade: bool = False
    warnings: tuple[str, ...] = ()


def _plan_existing(
    client: WaClient,
    payload: AnswerPayload,
    options: PushOptions,
    workload: WorkloadRef,
    names: _Names,
    region: str,
    *,
    upgrade: UpgradeDecision | None,
    fresh: FreshRetry | None,
) -> PushPlan:
    alias = payload.lens_alias
    coverage = (
        coverage_update(workload, options.regions, options.accounts)
        if options.update_workload
        else None
    )
    used = milestones_used(client, workload.workload_id, fresh=fresh)
    milestone, note = _milestone(options, names, used)
    if workload.has_lens(alias):
        read = _read_lens_review(
            client, payload, options, workload, names, used, upgrade=upgrade, fresh=fresh
        )
    else:  # GetLensReview cannot be read before AssociateLenses: GetLens says what it is
        lens = get_lens(client, alias)
        read = _LensRead(
            lens.version or None, None, False, unchecked_match(payload), CurrentAnswer({})
        )
    diff = build_diff(read.current, payload, read.match)
    return PushPlan(
        workload_id=workload.workload_id,
        workload_name=workload.name,
        lens_alias=alias,
        lens_version=read.version,
        lens_status=read.status,
        diff=diff,
        risk_before=read.current.risk,
        update_request=checked_request(workload.workload_id, alias, diff),
        milestone_name=milestone,
        milestone_note=note,
        milestone_retry=bool(options.retry_milestone) and milestone is not None,
        pdf_path=options.pdf_path,
        dry_run=options.dry_run,
        payload=payload,
        region=region,
        coverage=coverage,
        associate_lens=not workload.has_lens(alias),
        lens_checked=read.checked,
        warnings=read.warnings,
        match_warnings=tuple(w for w in read.match.warnings if "not on this workload" not in w),
        upgrade_offer=read.offer,
        upgrade=read.upgrade,
        workload_created=workload.created,
        owner=workload.owner,
    )


def _read_lens_review(
    client: WaClient,
    payload: AnswerPayload,
    options: PushOptions,
    workload: WorkloadRef,
    names: _Names,
    milestones: int,
    *,
    upgrade: UpgradeDecision | None,
    fresh: FreshRetry | None,
) -> _LensRead:
    """The lens review (offering an upgrade when NOT_CURRENT) and the current answer."""
    alias = payload.lens_alias
    review = get_lens_review(client, workload.workload_id, alias, fresh=fresh)
    warnings: list[str] = []
    offer: LensUpgradeOffer | None = None
    include = False
    if review.status == NOT_CURRENT:
        offer = LensUpgradeOffer(
            workload.workload_id,
            workload.name,
            alias,
            review.version,
            review.status,
            names.upgrade_milestone,
        )
        if milestones >= MILESTONES_MAX:
            warnings.append(
                "The lens review cannot be upgraded: an upgrade saves a milestone and "
                f"{milestone_cap_note(milestones).split(';')[0]}."
            )
        elif not options.dry_run and upgrade is not None and upgrade(offer):
            include = True
    checked = True
    try:
        match, current = read_answer(client, workload, payload, review, fresh=fresh)
    except WaReviewError as err:
        if offer is None:
            raise
        if not include:
            raise with_upgrade_hint(err, offer) from err
        # The old version lacks our question: the upgrade brings it; checked after it.
        match, current, checked = unchecked_match(payload), CurrentAnswer({}), False
    if review.status != CURRENT and not include:
        warnings.append(
            f"The {alias} lens on this workload is {review.status} (version {review.version}): "
            "the answer goes to that version. Upgrade the lens review first to answer the "
            "current questions."
        )
    return _LensRead(
        review.version, review.status, checked, match, current, offer, include, tuple(warnings)
    )


def _milestone(options: PushOptions, names: _Names, used: int) -> tuple[str | None, str | None]:
    """The milestone to create (None: none) and what the plan says about it."""
    if not options.milestone:
        return None, "--no-milestone"
    if used >= MILESTONES_MAX:
        return None, milestone_cap_note(used)
    if options.retry_milestone and not options.milestone_name:
        return check_milestone_name(options.retry_milestone), None
    return names.milestone, None


def checked_request(workload_id: str, alias: str, diff: AnswerDiff) -> dict[str, Any]:
    request = build_update_request(workload_id, alias, diff)
    validate_update_request(request, diff.none_ids)
    return request


def read_answer(
    client: WaClient,
    workload: WorkloadRef,
    payload: AnswerPayload,
    review: LensReviewInfo,
    *,
    fresh: FreshRetry | None,
) -> tuple[QuestionMatch, CurrentAnswer]:
    """Our question in the live lens (by id, then title) and what the WA Tool holds for it."""
    summaries = list_answer_summaries(
        client, workload.workload_id, review.alias, payload.pillar_id, fresh=fresh
    )
    match = match_question(summaries, payload, lens_version=review.version)
    answer = call(
        client,
        "GetAnswer",
        fresh=fresh,
        WorkloadId=workload.workload_id,
        LensAlias=review.alias,
        QuestionId=match.question_id,
    )["Answer"]
    return match, CurrentAnswer.from_api(answer)
