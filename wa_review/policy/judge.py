"""judge_policy: from policy text to a Verdict."""

from __future__ import annotations

from wa_review.policy.actions import groups_for
from wa_review.policy.context import PolicyContext
from wa_review.policy.evaluate import StatementJudge, prepare_denies
from wa_review.policy.load import decode_policy
from wa_review.policy.parse import statements_of
from wa_review.policy.verdict import (
    AccessClass,
    Reason,
    Verdict,
    most_open_of,
    sort_most_open_first,
)

_WHOLE_POLICY = "(policy)"


def judge_policy(policy: object, ctx: PolicyContext) -> Verdict:
    """Who `policy` lets in, per action group, and why.

    Args:
        policy: the policy as a dict, JSON text or bytes (plain or API Gateway-escaped).
        ctx: the resource that owns it.

    Raises:
        PolicyParseError: the text is not JSON (or too large or deep to be a policy). JSON that
            is not a well-formed policy gives an `unknown` verdict instead.
    """
    doc = decode_policy(policy)
    statements, problems = statements_of(doc)
    groups = groups_for(ctx.resource_type)
    if problems:
        reason = Reason(
            statement=_WHOLE_POLICY,
            access_class=AccessClass.UNKNOWN,
            detail=f"The policy cannot be judged: {'; '.join(problems)}.",
            statement_json=doc if isinstance(doc, dict) else {},
        )
        by_group: dict[str, tuple[AccessClass, ...]] = {g: (AccessClass.UNKNOWN,) for g in groups}
        return Verdict(AccessClass.UNKNOWN, (AccessClass.UNKNOWN,), (reason,), by_group)
    denies, notes = prepare_denies(statements)
    judge = StatementJudge(denies, ctx)
    reasons: list[Reason] = []
    for st in statements:
        if st.effect != "Deny":  # Allow, or an Effect we cannot read (it may be an Allow)
            reasons.extend(judge.judge(st))
    if not reasons:
        reasons.append(
            Reason(
                statement=_WHOLE_POLICY,
                access_class=AccessClass.ACCOUNT_ONLY,
                detail=(
                    "No statement allows anything, so only this account's own IAM "
                    "permissions decide who can use the resource."
                ),
            )
        )
    classes = sort_most_open_first(r.access_class for r in reasons)
    return Verdict(
        most_open=most_open_of(classes),
        classes=classes,
        reasons=tuple(reasons),
        by_action_group=_by_group(reasons, groups),
        notes=tuple(notes + judge.notes),
    )


def _by_group(reasons: list[Reason], groups: tuple[str, ...]) -> dict[str, tuple[AccessClass, ...]]:
    found: dict[str, list[AccessClass]] = {g: [] for g in groups}
    for r in reasons:
        if r.action_group:
            found.setdefault(r.action_group, []).append(r.access_class)
    # A group no statement grants is left to the account's own IAM policies.
    return {g: sort_most_open_first(cs) or (AccessClass.ACCOUNT_ONLY,) for g, cs in found.items()}
