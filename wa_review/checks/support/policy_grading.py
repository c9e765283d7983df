"""One grading of resource policies for queues, topics, tables, streams and buses.

Public fails, an untrusted account or an unpinned service warns, a policy the judge cannot
read stays unknown, and no policy (or only this account, its organization or pinned services)
passes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from wa_review.checks.support.helpers import Emitter, judge_document, reasons_of
from wa_review.model.evidence import Evidence, FetchError, Status
from wa_review.model.inventory import AccountInventory, CheckConfig
from wa_review.policy import AccessClass, Reason, Verdict

_ALLOWED_PHRASES = {
    AccessClass.ACCOUNT_ONLY: "this account",
    AccessClass.SERVICE_SCOPED: "AWS services acting for this account's own resources",
    AccessClass.ORG_ONLY: "principals of the organization",
    AccessClass.NETWORK_RESTRICTED: "callers from named networks",
}
_WARN_CLASSES = (AccessClass.CROSS_ACCOUNT, AccessClass.SERVICE_UNSCOPED)
# An account principal as AWS writes it; "account N" reads better in a summary.
_ROOT = re.compile(r"^arn:aws[\w-]*:iam::(\d{12}):root$")
S = TypeVar("S")
T = TypeVar("T")
NO_POLICY = "no resource policy: only IAM principals of this account can use it"


@dataclass(frozen=True, slots=True)
class Grade:
    """The status of one policy and the sentence that explains it (without the resource name)."""

    status: Status
    text: str
    details: dict[str, Any] = field(default_factory=dict)


def _groups(reasons: list[Reason]) -> str:
    groups = sorted({r.action_group for r in reasons if r.action_group})
    return ", ".join(groups) if groups else "some"


def _statements(reasons: list[Reason]) -> str:
    names = list(dict.fromkeys(r.statement for r in reasons))
    return ("statement " if len(names) == 1 else "statements ") + ", ".join(f"'{n}'" for n in names)


def _principals(reasons: list[Reason]) -> str:
    named = (_ROOT.sub(r"account \1", p) for r in reasons for p in r.principals)
    return ", ".join(dict.fromkeys(named)) or "other principals"


def grade_verdict(verdict: Verdict) -> Grade:
    """Grade a judged policy: every statement counts, not only the first that looks scoped."""
    by_class = {c: [r for r in verdict.reasons if r.access_class is c] for c in verdict.classes}
    details: dict[str, Any] = {"classes": [c.value for c in verdict.classes]}
    if verdict.notes:
        details["notes"] = list(verdict.notes)
    public = by_class.get(AccessClass.PUBLIC)
    if public:
        text = f"anyone may use it ({_groups(public)} access; {_statements(public)})"
        return Grade(
            Status.FAIL, text, {**details, "reasons": reasons_of(verdict, AccessClass.PUBLIC)}
        )
    unknown = by_class.get(AccessClass.UNKNOWN)
    if unknown:
        text = "the policy could not be judged: " + "; ".join(r.detail for r in unknown)
        return Grade(Status.UNKNOWN, text, {**details, "reasons": reasons_of(verdict)})
    warnings: list[str] = []
    cross = by_class.get(AccessClass.CROSS_ACCOUNT)
    if cross:
        warnings.append(
            f"{_principals(cross)} outside this account may use it "
            f"({_groups(cross)} access; {_statements(cross)})"
        )
    unscoped = by_class.get(AccessClass.SERVICE_UNSCOPED)
    if unscoped:
        warnings.append(
            f"{_principals(unscoped)} may use it for any account's resources, as no "
            f"aws:SourceArn or aws:SourceAccount pins it ({_statements(unscoped)})"
        )
    if warnings:
        return Grade(
            Status.WARN,
            "; ".join(warnings),
            {**details, "reasons": reasons_of(verdict, *_WARN_CLASSES)},
        )
    allowed = [_ALLOWED_PHRASES[c] for c in verdict.classes if c in _ALLOWED_PHRASES]
    text = "the policy lets in only " + (" and ".join(allowed) or "this account")
    return Grade(Status.PASS, text, {**details, "reasons": reasons_of(verdict)})


def grade_policy(
    document: str | None,
    *,
    account: str,
    resource_type: str,
    arn: str,
    cfg: CheckConfig,
    none_text: str = NO_POLICY,
) -> Grade:
    if document is None:
        return Grade(Status.PASS, none_text)
    verdict = judge_document(document, account, resource_type, arn, cfg)
    if isinstance(verdict, str):
        return Grade(Status.UNKNOWN, verdict, {"policy": document})
    return grade_verdict(verdict)


def policy_evidence(
    emit: Emitter,
    inv: AccountInventory,
    cfg: CheckConfig,
    *,
    region: str,
    arn: str,
    label: str,
    resource_type: str,
    document: str | None,
    error: FetchError | None,
    what: str,
    none_text: str = NO_POLICY,
) -> Evidence:
    """The evidence for one policy-bearing resource: UNKNOWN on a read error, else its grade."""
    if error is not None:
        return emit.unknown(arn, region, error, f"the {what} of {label}")
    grade = grade_policy(
        document,
        account=inv.account,
        resource_type=resource_type,
        arn=arn,
        cfg=cfg,
        none_text=none_text,
    )
    return emit(grade.status, arn, region, f"{label}: {grade.text}", **grade.details)


def per_region(
    inv: AccountInventory,
    kind: type[S],
    emit: Emitter,
    what: str,
    in_scope: Callable[[S], Iterable[T]],
    judge: Callable[[str, T], Evidence],
) -> Iterator[Evidence]:
    """Per region: UNKNOWN when the listing failed, NOT_APPLICABLE when nothing is in scope,
    and `judge` for each in-scope resource listed (also those listed before a page failed)."""
    for region, snap in inv.each(kind):
        listing_error: FetchError | None = getattr(snap, "listing_error", None)
        items = list(in_scope(snap))
        if listing_error is not None:  # what was listed before it failed is judged too
            yield emit.listing_failed(region, listing_error, what, listed=len(items))
        elif not items:
            yield emit.not_applicable(region, what)
        for item in items:
            yield judge(region, item)


class PolicyHolder(Protocol):
    """A queue, topic or bus: a named resource with one policy read (or an error)."""

    @property
    def name(self) -> str: ...
    @property
    def arn(self) -> str: ...
    @property
    def in_scope(self) -> bool: ...
    @property
    def policy(self) -> str | None: ...
    @property
    def error(self) -> FetchError | None: ...


def holder_evidence(
    inv: AccountInventory,
    cfg: CheckConfig,
    emit: Emitter,
    kind: type[S],
    holders: Callable[[S], Iterable[PolicyHolder]],
    *,
    what: str,
    resource_type: str,
    label_prefix: str = "",
    none_text: str = NO_POLICY,
) -> Iterator[Evidence]:
    """`per_region` over resources that each hold one policy, graded by `policy_evidence`."""
    yield from per_region(
        inv,
        kind,
        emit,
        what,
        lambda snap: [h for h in holders(snap) if h.in_scope],
        lambda region, h: policy_evidence(
            emit,
            inv,
            cfg,
            region=region,
            arn=h.arn,
            label=label_prefix + h.name,
            resource_type=resource_type,
            document=h.policy,
            error=h.error,
            what="resource policy",
            none_text=none_text,
        ),
    )
