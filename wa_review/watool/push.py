"""Push one reviewed answer to the WA Tool: plan (reads only) -> confirm -> writes, milestone, PDF.

    plan = plan_push(client, payload, PushOptions(workload_name="orders"))
    result = finish_push(client, plan, confirm=lambda plan: True)

`plan_push` only reads. Every write (CreateWorkload, UpdateWorkload, AssociateLenses,
UpgradeLensReview, UpdateAnswer, CreateMilestone) happens in `finish_push`, after `confirm(plan)`
said yes to the whole plan. When the preparing writes (workload, lens, upgrade) change what can
be read, the answer is read again and, if the write differs from what was confirmed, the
reviewer is asked again with the new plan.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from wa_review.errors import WaReviewError, WaToolError
from wa_review.watool.client import FreshRetry, WaClient, call, watool_error
from wa_review.watool.diff import build_diff
from wa_review.watool.milestone import (
    create_milestone,
    save_lens_review_report,
)
from wa_review.watool.payload import AnswerPayload
from wa_review.watool.plan import (
    PushOptions,
    PushOutcome,
    PushPlan,
    PushResult,
    outcome_lines,
)
from wa_review.watool.planning import (
    UpgradeDecision,
    checked_request,
    now_utc,
    plan_push,
    read_answer,
)
from wa_review.watool.request import (
    describe_written,
    validate_update_request,
)
from wa_review.watool.upgrade import (
    reporting_upgrade,
    upgrade_done,
    upgrade_lens_review,
)
from wa_review.watool.workload import (
    WorkloadRef,
    associate_lens,
    create_workload,
    get_lens_review,
    get_workload,
    update_coverage,
)

__all__ = [
    "WATOOL_IAM_ACTIONS",
    "PushOptions",
    "PushOutcome",
    "PushPlan",
    "PushResult",
    "finish_push",
    "outcome_lines",
    "plan_push",
    "push_review",
]

# Every WA Tool action a push may call (for `wa-review iam-policy --push`); a test checks that
# the emulator saw nothing else.
WATOOL_IAM_ACTIONS: tuple[str, ...] = tuple(
    f"wellarchitected:{operation}"
    for operation in (
        "ListWorkloads",
        "GetWorkload",
        "CreateWorkload",
        "UpdateWorkload",
        "GetLens",
        "AssociateLenses",
        "GetLensReview",
        "UpgradeLensReview",
        "ListAnswers",
        "GetAnswer",
        "UpdateAnswer",
        "ListMilestones",
        "CreateMilestone",
        "GetLensReviewReport",
    )
)


def finish_push(
    client: WaClient,
    plan: PushPlan,
    *,
    confirm: Callable[[PushPlan], bool],
    fresh_retry: FreshRetry | None = None,
) -> PushResult:
    """On yes: the preparing writes, then UpdateAnswer, the milestone and the PDF report."""
    if plan.dry_run:
        return PushResult(plan, PushOutcome.DRY_RUN)
    if not plan.writes:
        pdf = _report(client, plan, milestone_number=None, fresh=None)
        return PushResult(plan, PushOutcome.UNCHANGED, risk_after=plan.risk_before, pdf_path=pdf)
    if not confirm(plan):
        return PushResult(plan, PushOutcome.DECLINED)
    fresh = (fresh_retry or FreshRetry()) if plan.create is not None else None
    workload_id, done = _prepare(client, plan, fresh=fresh)
    if done:
        confirmed = plan
        plan = _read_again(client, plan, workload_id, done, fresh=fresh)
        if _write_key(plan) != _write_key(confirmed) and plan.writes and not confirm(plan):
            return PushResult(plan, PushOutcome.DECLINED, done=tuple(done))
    return _write_answer(client, plan, tuple(done), fresh=fresh)


def _prepare(
    client: WaClient, plan: PushPlan, *, fresh: FreshRetry | None
) -> tuple[str, list[str]]:
    """CreateWorkload, UpdateWorkload, AssociateLenses, UpgradeLensReview, as planned."""
    done: list[str] = []
    subject = f"workload {plan.workload_name!r}"
    try:
        workload_id = plan.workload_id
        if workload_id is None:
            assert plan.create is not None
            workload_id = create_workload(
                client, plan.create, lens_alias=plan.lens_alias
            ).workload_id
            done.append(f"created workload {plan.workload_name!r} ({workload_id})")
        if plan.coverage is not None:
            update_coverage(client, workload_id, plan.coverage, subject=subject)
            done.append(f"updated the Regions and accounts of {subject}")
        if plan.associate_lens:
            ref = WorkloadRef(workload_id, plan.workload_name, ())
            associate_lens(client, ref, plan.lens_alias, fresh=fresh)
            done.append(f"associated the {plan.lens_alias} lens")
        if plan.upgrade and plan.upgrade_offer is not None:
            upgrade_lens_review(
                client, replace(plan.upgrade_offer, workload_id=workload_id), fresh=fresh
            )
            # Worded again with both versions once the upgraded review is read (_read_again).
            done.append(f"upgraded the {plan.lens_alias} lens review")
    except (WaReviewError, BotoCoreError) as err:
        so_far = "; ".join(done) or "nothing"
        raise WaToolError(
            f"{_what(err)}. Done before it: {so_far}. No answer was written.",
            hint=getattr(err, "hint", "") or "Push again: the plan is read afresh.",
        ) from err
    return workload_id, done


def _read_again(
    client: WaClient, plan: PushPlan, workload_id: str, done: list[str], *, fresh: FreshRetry | None
) -> PushPlan:
    """The plan read from the WA Tool after the preparing writes: the lens is on the workload
    now (and upgraded, if planned), so the ids and the current answer are the service's."""
    offer = plan.upgrade_offer if plan.upgrade else None
    with reporting_upgrade(offer):
        workload = get_workload_fresh(client, workload_id, fresh)
        review = get_lens_review(client, workload_id, plan.lens_alias, fresh=fresh)
        match, current = read_answer(client, workload, plan.payload, review, fresh=fresh)
    lens_upgrade = upgrade_done(offer, review) if offer is not None else None
    if lens_upgrade is not None:
        done[-1] = lens_upgrade.describe()
    diff = build_diff(current, plan.payload, match)
    return replace(
        plan,
        workload_id=workload_id,
        lens_version=review.version,
        lens_status=review.status,
        diff=diff,
        risk_before=current.risk,
        update_request=checked_request(workload_id, plan.lens_alias, diff),
        coverage=None,
        associate_lens=False,
        lens_checked=True,
        upgrade=False,
        upgrade_offer=None if offer is not None else plan.upgrade_offer,
        workload_created=plan.workload_id is None,
        lens_associated=plan.associate_lens,
        lens_upgrade=lens_upgrade,
        warnings=tuple(w for w in plan.warnings if offer is None or "NOT_CURRENT" not in w),
        match_warnings=match.warnings,
    )


def get_workload_fresh(client: WaClient, workload_id: str, fresh: FreshRetry | None) -> WorkloadRef:
    """GetWorkload, retried while a workload created moments ago is not visible yet."""
    if fresh is None:
        return get_workload(client, workload_id)
    workload = call(client, "GetWorkload", fresh=fresh, WorkloadId=workload_id)["Workload"]
    return WorkloadRef(
        workload_id, str(workload["WorkloadName"]), tuple(workload.get("Lenses", []))
    )


def _write_key(plan: PushPlan) -> tuple[Any, ...]:
    """What the reviewer said yes to about the answer: each reviewed choice's new state (by the
    review's id: an upgrade may rename the lens's ids), other choices the push changes, the
    question's notes and applicability, and whether a milestone follows."""
    diff = plan.diff
    choices = sorted(
        (
            c.review_choice_id or f"live:{c.choice_id}",
            c.status_after.value,
            c.reason_after,
            c.notes_after,
        )
        for c in diff.choices
        if c.review_choice_id or c.changed
    )
    question = (diff.notes_after, diff.applicable_after, diff.reason_after)
    return (tuple(choices), question, plan.writes_milestone)


def _write_answer(
    client: WaClient, plan: PushPlan, done: tuple[str, ...], *, fresh: FreshRetry | None
) -> PushResult:
    """UpdateAnswer (when the answer changes), then the milestone and the PDF."""
    assert plan.workload_id is not None
    risk_after = plan.risk_before
    written = "nothing (the answer was already there)"
    if plan.diff.changed:
        risk_after = _update_answer(client, plan, done, fresh=fresh)
        changed = {c.choice_id for c in plan.diff.changed_choices}
        written = describe_written(plan.update_request, changed)
    number = name = None
    milestone_error = None
    if plan.writes_milestone:
        assert plan.milestone_name is not None
        try:
            number, name = create_milestone(
                client, plan.workload_id, plan.milestone_name, fresh=fresh
            )
        except (WaReviewError, BotoCoreError) as err:
            # The answer is in the WA Tool: say so, and let the session remember the milestone.
            pdf_too = " and no PDF was saved" if plan.pdf_path is not None else ""
            milestone_error = (
                f"{_what(err)}. The answer was written to workload {plan.workload_name!r}: "
                f"{written}. No milestone was created{pdf_too}."
            )
    pdf = None
    if milestone_error is None:
        try:
            pdf = _report(client, plan, milestone_number=number, fresh=fresh)
        except (WaReviewError, BotoCoreError) as err:
            raise WaToolError(
                f"{_what(err)}. The answer was written to workload {plan.workload_name!r}: "
                f"{written}. Milestone {name!r} (#{number}) was created; the PDF was not saved.",
                hint="Download the report from the WA Tool console, or push again for the PDF.",
            ) from err
    return PushResult(
        plan,
        PushOutcome.WRITTEN,
        risk_after=risk_after,
        written_choices=tuple(plan.update_request["ChoiceUpdates"]) if plan.diff.changed else (),
        milestone_name=name,
        milestone_number=number,
        pdf_path=pdf,
        done=done,
        milestone_error=milestone_error,
    )


def _update_answer(
    client: WaClient, plan: PushPlan, done: tuple[str, ...], *, fresh: FreshRetry | None
) -> str:
    validate_update_request(plan.update_request, plan.diff.none_ids)
    question = plan.update_request["QuestionId"]
    before = f" Done before it: {'; '.join(done)}." if done else ""
    try:
        updated = call(
            client,
            "UpdateAnswer",
            fresh=fresh,
            passthrough=("AccessDeniedException",),
            subject=f"workload {plan.workload_name!r}",
            **plan.update_request,
        )
    except WaReviewError as err:  # the service refused it (or it was never sent)
        raise type(err)(
            f"{_what(err)}. Nothing was written: the WA Tool still holds the previous answer "
            f"to {question}.{before}",
            hint=err.hint,
        ) from err
    except ClientError as err:  # AccessDenied, passed through to be worded here
        raise _access_denied(plan, err, before) from err
    except BotoCoreError as err:  # sent, but no answer came back: it may have been applied
        raise WaToolError(
            f"WA Tool UpdateAnswer on workload {plan.workload_name!r} got no answer ({err}); "
            f"the answer to {question} may or may not have been written.{before}",
            hint="Run 'wa-review push --dry-run' to see what the WA Tool holds now.",
        ) from err
    return str(updated.get("Answer", {}).get("Risk", "UNANSWERED"))


def _access_denied(plan: PushPlan, err: ClientError, before: str) -> WaToolError:
    """AccessDenied on UpdateAnswer: a workload shared read-only says so (no IAM hint)."""
    error = watool_error("UpdateAnswer", err, subject=f"workload {plan.workload_name!r}")
    message = str(err.response.get("Error", {}).get("Message", "")).upper()
    if "READONLY" in message.replace("-", "").replace(" ", "") or "SHARED" in message:
        hint = (
            f"Workload {plan.workload_name!r} is shared with this account read-only"
            + (f" by account {plan.owner}" if plan.owner else "")
            + ": ask its owner to share it with Contributor permission, or push to a workload "
            "of your own."
        )
    elif plan.owner:
        hint = (
            f"{error.hint} Workload {plan.workload_name!r} belongs to account {plan.owner}: if "
            "that is not this account, the workload is shared with you, probably read-only "
            "(ask its owner for Contributor permission)."
        )
    else:
        hint = error.hint
    return WaToolError(
        f"{error.message}. Nothing was written: the WA Tool still holds the previous answer to "
        f"{plan.update_request['QuestionId']}.{before}",
        hint=hint,
    )


def _what(err: Exception) -> str:
    return (err.message if isinstance(err, WaReviewError) else str(err)).rstrip(".")


def _report(
    client: WaClient, plan: PushPlan, *, milestone_number: int | None, fresh: FreshRetry | None
) -> Any:
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
    now: Callable[[], datetime] = now_utc,
    upgrade: UpgradeDecision | None = None,
) -> PushResult:
    """The whole flow; `upgrade(offer)` decides whether a NOT_CURRENT lens review upgrade is in
    the plan, `confirm(plan)` whether anything is written."""
    plan = plan_push(client, payload, options, fresh_retry=fresh_retry, now=now, upgrade=upgrade)
    return finish_push(client, plan, confirm=confirm, fresh_retry=fresh_retry)
