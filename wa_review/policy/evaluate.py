"""Judge each Allow statement principal by principal and action by action, Denies subtracting."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from wa_review.policy.actions import covered, deny_covers_action, groups_for
from wa_review.policy.conditions import (
    ClauseFinding,
    Pin,
    PinKind,
    Polarity,
    analyse,
    carried_by,
    may_carry,
    unmatched_sentence,
)
from wa_review.policy.context import PolicyContext
from wa_review.policy.parse import Statement
from wa_review.policy.principals import (
    Grantee,
    GranteeKind,
    applies,
    base_class,
    deny_reach,
    grantees,
    restrict,
)
from wa_review.policy.resources import deny_covers_resources
from wa_review.policy.verdict import AccessClass, Reason, less_open, more_open
from wa_review.policy.wording import (
    actions_phrase,
    allow_notes,
    class_sentence,
    deny_blocker,
    pin_sentences,
    pin_warnings,
    when_phrase,
)


@dataclass(frozen=True, slots=True)
class PreparedDeny:
    """A readable Deny: the pins its negated conditions leave callers through, or why none."""

    statement: Statement
    pins: tuple[Pin, ...]
    blocker: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """The class one grant ends with, the pins that narrowed it and what the Denies did."""

    cls: AccessClass
    allow_pins: tuple[Pin, ...]
    deny_pins: tuple[Pin, ...]
    said: tuple[str, ...]

    @property
    def pins(self) -> tuple[Pin, ...]:
        return self.allow_pins + self.deny_pins


def prepare_denies(statements: Sequence[Statement]) -> tuple[list[PreparedDeny], list[str]]:
    denies: list[PreparedDeny] = []
    notes: list[str] = []
    for st in statements:
        if st.effect != "Deny":
            continue
        if st.problems:
            # Not subtracting is the safe side: the verdict can only come out more open.
            notes.append(
                f"Deny statement {st.label!r} was not applied because it is malformed: "
                f"{'; '.join(st.problems)}."
            )
            continue
        findings = [analyse(c) for c in st.clauses]
        never = next((f.never for f in findings if f.never), "")
        if never:
            notes.append(f"Deny statement {st.label!r} can never apply: {never}.")
            continue
        # A clause true for every request drops out of the AND: it refuses no one less.
        notes.extend(f"In Deny statement {st.label!r}, {f.always}." for f in findings if f.always)
        kept = [f for f in findings if not f.always]
        notes.extend(
            f"In Deny statement {st.label!r}, {unmatched_sentence(f)}"
            for f in kept
            if f.unmatched and f.pin is not None
        )
        pins = tuple(f.pin for f in kept if f.pin and f.polarity is Polarity.NEGATIVE)
        denies.append(PreparedDeny(st, pins, deny_blocker(kept)))
    return denies, notes


class StatementJudge:
    """Judges Allow statements against a policy's Denies, caching per action and grantee."""

    def __init__(self, denies: Sequence[PreparedDeny], ctx: PolicyContext) -> None:
        self._denies = list(denies)
        self._ctx = ctx
        # action -> (number of its set of covering Denies, that set); the number keeps the
        # per-statement memo keys small, as most actions meet the same Denies.
        self._by_action: dict[str, tuple[int, tuple[int, ...]]] = {}
        self._deny_sets: dict[tuple[int, ...], int] = {}
        self._reach_rows: dict[tuple[bool, ...], int] = {}
        # Statements often repeat principals and conditions: share outcomes across them.
        self._memo: dict[tuple[Grantee, int, int, int], Outcome] = {}
        self._interned: dict[Outcome, Outcome] = {}
        # Remarks that belong to the verdict, not one grant (a deleted principal, for one).
        self.notes: list[str] = []

    def judge(self, st: Statement) -> list[Reason]:
        if st.problems or st.principal is None or st.actions is None:
            return self._unjudgeable(st, "; ".join(st.problems) or "it is incomplete")
        ctx = self._ctx
        findings = [analyse(c) for c in st.clauses]
        live, groups, missing, never = self._what_can_apply(st, findings)
        if never:
            return [self._never(st, never)]
        unknown_ops = [f.note for f in findings if f.unknown]
        allow_pins = [f.pin for f in findings if f.pin and f.polarity is Polarity.POSITIVE]
        notes = [
            *allow_notes(findings),
            *(f"It can never apply to some actions: {m}." for m in missing),
        ]
        loose = tuple(f.loose for f in findings if f.loose and f.polarity is Polarity.POSITIVE)
        reach_resources = tuple(
            deny_covers_resources(st.resources, d.statement.resources, ctx) for d in self._denies
        )
        # Outcomes are interned, so grouping by identity is grouping by equality, without
        # re-hashing long outcomes for every action.
        merged: dict[tuple[str, int, tuple[str, ...]], tuple[Outcome, list[Grantee]]] = {}
        row = self._reach_rows.setdefault(reach_resources, len(self._reach_rows))
        for g in live:
            first = self._start(g, allow_pins, unknown_ops)
            start = self._interned.setdefault(first, first)
            local: dict[int, Outcome] = {}
            for group, actions in groups.items():
                by_outcome: dict[int, tuple[Outcome, list[str]]] = {}
                for action in actions:
                    number, covering = self._covering(action)
                    out = local.get(number)
                    if out is None:
                        key = (g, id(start), number, row)
                        out = self._memo.get(key)
                        if out is None:
                            fresh = self._apply(g, start, covering, reach_resources)
                            out = self._memo[key] = self._interned.setdefault(fresh, fresh)
                        local[number] = out
                    by_outcome.setdefault(id(out), (out, []))[1].append(action)
                for out, acts in by_outcome.values():
                    merged.setdefault((group, id(out), tuple(acts)), (out, []))[1].append(g)
        return [
            self._reason(st, group, out, acts, gs, notes, loose)
            for (group, _, acts), (out, gs) in merged.items()
        ]

    def _what_can_apply(
        self, st: Statement, findings: Sequence[ClauseFinding]
    ) -> tuple[list[Grantee], dict[str, tuple[str, ...]], list[str], str]:
        """The principals and actions a request could match, why some actions cannot, and why
        the whole statement never can (empty when it can)."""
        assert st.principal is not None and st.actions is not None  # checked by the caller
        everyone = grantees(st.principal)
        for g in everyone:
            if g.kind is GranteeKind.DELETED:
                self.notes.append(f"{g.note} (statement {st.label!r}).")
        live = [g for g in everyone if g.kind is not GranteeKind.DELETED]
        groups, missing = _carrying(covered(st.actions, self._ctx.resource_type), findings)
        never = next((f.never for f in findings if f.never), "")
        if not never and not live:
            never = "every principal it names is a deleted user or role, which matches no one"
        if not never and missing and not groups:
            never = "; ".join(missing)
        return live, groups, missing, never

    def _start(self, g: Grantee, pins: Sequence[Pin], unknown_ops: Sequence[str]) -> Outcome:
        """The class a grant has from its principal and the Allow's own conditions."""
        cls = base_class(g, self._ctx)
        if g.kind is GranteeKind.UNKNOWN:
            return Outcome(cls, (), (), (f"{g.note[:1].upper()}{g.note[1:]}.",))
        if unknown_ops and cls is not AccessClass.ACCOUNT_ONLY:
            # A condition we cannot read might be the only thing keeping callers out, or
            # nothing at all: we cannot say which.
            return Outcome(AccessClass.UNKNOWN, (), (), (f"{'; '.join(unknown_ops)}.",))
        used: list[Pin] = []
        for pin in pins:  # conditions in one statement are ANDed: each can only narrow
            if applies(g, pin):
                used.append(pin)
                cls = restrict(g, cls, pin, self._ctx)
        said = (g.note + ".",) if g.note else ()
        return Outcome(cls, tuple(used), (), said)

    def _covering(self, action: str) -> tuple[int, tuple[int, ...]]:
        found = self._by_action.get(action)
        if found is None:
            covering = tuple(
                i
                for i, d in enumerate(self._denies)
                if d.statement.actions is not None
                and deny_covers_action(d.statement.actions, action)
            )
            number = self._deny_sets.setdefault(covering, len(self._deny_sets))
            found = self._by_action[action] = (number, covering)
        return found

    def _apply(
        self,
        g: Grantee,
        start: Outcome,
        covering: tuple[int, ...],
        reach_resources: tuple[bool, ...],
    ) -> Outcome:
        cls: AccessClass | None = start.cls
        pins: list[Pin] = []
        said = list(start.said)
        for i in covering:
            if cls is None or cls is AccessClass.ACCOUNT_ONLY:
                break
            d = self._denies[i]
            st = d.statement
            assert st.principal is not None  # prepared Denies are well formed
            reach = deny_reach(st.principal, g, self._ctx)
            if not reach.covers:
                continue
            if not reach_resources[i]:
                said.append(
                    f"Deny {st.label!r} was not applied: its Resource does not certainly "
                    "cover this statement's Resource."
                )
                continue
            if d.blocker:
                said.append(f"Deny {st.label!r} was not applied: {d.blocker}.")
                continue
            # The Deny hits when the principal is not spared and every negated clause holds,
            # so what survives is the spared principals plus whoever each clause lets through.
            left = reach.spared
            for pin in d.pins:
                through = restrict(g, cls, pin, self._ctx)
                left = through if left is None else more_open(left, through)
                if applies(g, pin):
                    pins.append(pin)
            if left is None:
                said.append(f"Deny {st.label!r} refuses it to every such caller.")
                cls = None
                continue
            narrowed = less_open(cls, left)
            if d.pins and not any(applies(g, pin) for pin in d.pins) and not reach.spared:
                said.append(_service_untouched(st.label, d.pins))
            else:
                said.append(_deny_sentence(st.label, d.pins, reach.spared_names, narrowed, cls))
            cls = narrowed
        final = AccessClass.ACCOUNT_ONLY if cls is None else cls
        return Outcome(final, start.allow_pins, tuple(dict.fromkeys(pins)), tuple(said))

    def _reason(
        self,
        st: Statement,
        group: str,
        out: Outcome,
        actions: tuple[str, ...],
        gs: Sequence[Grantee],
        notes: Sequence[str],
        loose: tuple[Pin, ...],
    ) -> Reason:
        trusted = self._ctx.trusted_accounts
        who = " and ".join(
            g.description + (" (trusted)" if g.account in trusted else "") for g in gs
        )
        parts = [
            f"Statement {st.label!r} allows {who} {actions_phrase(group, actions)}"
            f"{when_phrase(out.allow_pins)}.",
            *out.said,
            *notes,
            *pin_sentences(out.pins),
            *(pin_warnings(out.pins) if out.cls is AccessClass.SERVICE_UNSCOPED else ()),
            class_sentence(out.cls, out.pins),
        ]
        return Reason(
            statement=st.label,
            access_class=out.cls,
            detail=" ".join(parts),
            action_group=group,
            principals=tuple(g.value for g in gs),
            actions=actions,
            source_arns=_values(out.pins + loose, "aws:SourceArn"),
            source_accounts=_values(out.pins + loose, "aws:SourceAccount", "aws:SourceOwner"),
            network=tuple(
                dict.fromkeys(v for p in out.pins if p.kind is PinKind.NETWORK for v in p.values)
            ),
            statement_json=st.raw,
        )

    def _never(self, st: Statement, why: str) -> Reason:
        """A statement no request can match: it grants nothing, so it leaves the verdict be.

        It lets no principal in and allows no action, so `principals` and `actions` stay empty
        (checks that grade grants by principal must not grade it); the statement is in
        `statement_json` and the detail.
        """
        return Reason(
            statement=st.label,
            access_class=AccessClass.ACCOUNT_ONLY,
            detail=(
                f"Statement {st.label!r} can never apply: {why}. It grants nothing, so it "
                "neither opens nor closes anything."
            ),
            statement_json=st.raw,
            never_applies=True,
        )

    def _unjudgeable(self, st: Statement, why: str) -> list[Reason]:
        rtype = self._ctx.resource_type
        groups = covered(st.actions, rtype) if st.actions else dict.fromkeys(groups_for(rtype), ())
        principals = tuple(v for _, v in st.principal.entries) if st.principal else ()
        return [
            Reason(
                statement=st.label,
                access_class=AccessClass.UNKNOWN,
                detail=(
                    f"Statement {st.label!r} cannot be judged: {why}. It may grant access, so "
                    "treat it as possibly open and fix the policy."
                ),
                action_group=group,
                principals=principals,
                actions=actions,
                statement_json=st.raw,
            )
            for group, actions in groups.items()
        ]


def _carrying(
    groups: dict[str, tuple[str, ...]], findings: Sequence[ClauseFinding]
) -> tuple[dict[str, tuple[str, ...]], list[str]]:
    """The actions whose requests can carry every key the statement's conditions need (a
    request without the key fails the condition), and why the others were left out."""
    keys = [f.clause.key for f in findings if f.needs_key and carried_by(f.clause.key)]
    if not keys:
        return groups, []
    kept: dict[str, tuple[str, ...]] = {}
    dropped: dict[str, list[str]] = {}
    for group, actions in groups.items():
        left = []
        for action in actions:
            lacking = [k for k in keys if not may_carry(k, action)]
            if lacking:
                dropped.setdefault(lacking[0], []).append(action)
            else:
                left.append(action)
        if left:
            kept[group] = tuple(left)
    why = [
        f"its condition needs {key}, which only {' and '.join(carried_by(key) or ())} requests "
        f"carry, so it is false for {', '.join(actions)}"
        for key, actions in dropped.items()
    ]
    return kept, why


def _deny_sentence(
    label: str,
    pins: Sequence[Pin],
    spared: Sequence[str],
    narrowed: AccessClass,
    before: AccessClass,
) -> str:
    kept = [f"principals {', '.join(spared)}"] if spared else []
    kept += [p.describe() for p in pins]
    if narrowed is before:
        return (
            f"Deny {label!r} refuses everyone except callers where {' or '.join(kept)}, "
            "but that does not narrow this grant."
        )
    return f"Deny {label!r} refuses every caller except where {' or '.join(kept)}."


def _service_untouched(label: str, pins: Sequence[Pin]) -> str:
    keys = " or ".join(dict.fromkeys(p.key for p in pins))
    return (
        f"Deny {label!r} refuses callers by {keys}, which an AWS service acting for a resource "
        "does not carry; we do not count on that to shut the service out, so the grant is "
        "judged without it (if the service is in fact refused, its deliveries will fail)."
    )


def _values(pins: Sequence[Pin], *keys: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for p in pins if p.key in keys for v in p.values))
