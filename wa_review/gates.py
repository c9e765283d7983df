"""CI gates (`--fail-on`): which findings make a command exit with EXIT_FINDINGS.

Pure: the CLI checks the words with a click type built on `parse_fail_on`, and exits with the
code when `matching_evidence` (collect) or `matching_new` (diff) finds anything.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from wa_review.diffing.compare import SEVERITY_RANK, ChangeKind, EvidenceDiff, SeverityOf
from wa_review.model.evidence import Evidence, Severity, Status

SEVERITY_PREFIX = "severity>="
STATUS_WORDS = {"fail": Status.FAIL, "warn": Status.WARN, "unknown": Status.UNKNOWN}
NEW_WORD = "new"
# Without a status word, a severity gate looks at failures and warnings.
DEFAULT_STATUSES = frozenset({Status.FAIL, Status.WARN})


class FailOnError(ValueError):
    """A `--fail-on` word that is not understood; the message lists what is."""


@dataclass(frozen=True, slots=True)
class FailOn:
    """Statuses that count (any of them), optionally only at or above a severity."""

    statuses: frozenset[Status]
    min_severity: Severity | None = None
    new_only: bool = False

    def describe(self) -> str:
        """'new fail or warn, severity high or higher'."""
        text = ("new " if self.new_only else "") + " or ".join(
            sorted(s.value for s in self.statuses)
        )
        if self.min_severity:
            text += f", severity {self.min_severity.value} or higher"
        return text

    def admits(self, status: Status, severity: Severity | None) -> bool:
        if status not in self.statuses:
            return False
        if self.min_severity is None:
            return True
        # A check this version does not know has no severity: it cannot pass a severity gate
        # unnoticed, so it counts as matching.
        return severity is None or SEVERITY_RANK[severity] <= SEVERITY_RANK[self.min_severity]


def parse_fail_on(values: Iterable[str], *, allowed: Collection[str]) -> FailOn:
    """Words from `--fail-on` (repeated and/or comma-separated) -> a gate.

    `allowed` is the plain words the command takes (`fail warn unknown` for collect, `new` for
    diff); `severity>=LEVEL` is always allowed. Raises FailOnError naming the bad word.
    """
    words = [w.strip().lower() for value in values for w in value.split(",") if w.strip()]
    if not words:
        raise FailOnError(f"give one of: {_choices(allowed)}")
    statuses: set[Status] = set()
    severity: Severity | None = None
    new_only = False
    for word in words:
        if word.startswith(SEVERITY_PREFIX):
            level = word.removeprefix(SEVERITY_PREFIX).strip()
            try:
                chosen = Severity(level)
            except ValueError:
                levels = ", ".join(s.value for s in Severity)
                raise FailOnError(f"unknown severity {level!r} in {word!r}: use {levels}") from None
            if severity is not None and chosen is not severity:
                raise FailOnError(f"give one minimum severity, not {severity.value} and {level}")
            severity = chosen
        elif word in allowed and word in STATUS_WORDS:
            statuses.add(STATUS_WORDS[word])
        elif word in allowed and word == NEW_WORD:
            new_only = True
        else:
            raise FailOnError(f"{word!r} is not a --fail-on value here: use {_choices(allowed)}")
    return FailOn(frozenset(statuses) or DEFAULT_STATUSES, severity, new_only)


def _choices(allowed: Collection[str]) -> str:
    return ", ".join([*sorted(allowed), f"{SEVERITY_PREFIX}LEVEL"])


def matching_evidence(
    gate: FailOn, evidence: Iterable[Evidence], *, severity_of: SeverityOf
) -> list[Evidence]:
    """The evidence items a collection gate fails on."""
    return [e for e in evidence if gate.admits(e.status, severity_of(e.check_id))]


def matching_new(gate: FailOn, diff: EvidenceDiff) -> list[Evidence]:
    """The new findings a diff gate fails on: fail or warn now, and not fail or warn before.

    An item that was unknown in the old collection and fails now counts (the failure is new
    as far as anyone knew); a warning that became a failure was a finding already.
    """
    found: list[Evidence] = []
    for change in diff.of_kind(ChangeKind.NEW) + diff.of_kind(ChangeKind.CHANGED):
        before = change.old.status if change.old else None
        if change.new is None or before in gate.statuses:
            continue
        if gate.admits(change.new.status, change.severity):
            found.append(change.new)
    return found
