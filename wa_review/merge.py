"""Join evidence files collected apart (shards of an organization, batch jobs) into one.

Files join only when they are parts of one review: the same tool version and scope, the same
organization, and no (account, Region) collected twice. Anything else is refused with the
reason, since a merged file that double-counts or mixes scopes would read as one review.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from wa_review.errors import UsageError
from wa_review.model.evidence_file import CollectionStats, EvidenceFile

# What must be the same in every part (the organization is compared separately).
_SCOPE_KEYS = ("mode", "stacks", "tags")


def merge_evidence(parts: Sequence[tuple[Path, EvidenceFile]]) -> EvidenceFile:
    """One evidence file from `parts` (path, file); raises UsageError when they do not fit."""
    if len(parts) < 2:
        raise UsageError(
            "merge needs at least two evidence files.",
            hint="wa-review merge shard-1.json shard-2.json ... -o all.json",
        )
    _same(parts, "tool version", lambda f: f.tool_version)
    _same(parts, "scope", lambda f: {k: f.scope.get(k) for k in _SCOPE_KEYS})
    _same(parts, "organization", lambda f: (f.scope.get("organization") or {}).get("id"))
    _no_overlap(parts)
    files = [f for _, f in parts]
    first = files[0]
    scope = dict(first.scope)
    scope["resources"] = sum(int(f.scope.get("resources") or 0) for f in files)
    if "organization" in first.scope:
        scope["organization"] = _organization(parts)
    return EvidenceFile(
        tool_version=first.tool_version,
        collected_at=min(f.collected_at for f in files),
        accounts=tuple(sorted({a for f in files for a in f.accounts})),
        regions=_regions(files),
        scope=scope,
        stats=CollectionStats(
            calls=_summed([f.stats.calls for f in files]),
            errors=sum(f.stats.errors for f in files),
            # The parts ran side by side: the review took as long as the longest.
            seconds=max(f.stats.seconds for f in files),
            throttled=sum(f.stats.throttled for f in files),
        ),
        errors=tuple(e for f in files for e in f.errors),
        evidence=tuple(e for f in files for e in f.evidence),
    )


def _same(parts: Sequence[tuple[Path, EvidenceFile]], what: str, key: Any) -> None:
    first_path, first = parts[0]
    for path, part in parts[1:]:
        if key(part) != key(first):
            raise UsageError(
                f"{path} and {first_path} are not parts of one review: their {what} differs "
                f"({key(part)!r} against {key(first)!r}).",
                hint="Merge only the files of one sharded collection (same version and options).",
            )


def _no_overlap(parts: Sequence[tuple[Path, EvidenceFile]]) -> None:
    seen: dict[tuple[str, str], Path] = {}
    for path, part in parts:
        for pair in _collected(part):
            if pair in seen:
                account, region = pair
                raise UsageError(
                    f"{path} and {seen[pair]} both hold account {account} in {region}: "
                    "merging them would count its findings twice.",
                    hint="Merge the shards of one collection (--accounts-shard K/N, each K once).",
                )
            seen[pair] = path


def _collected(part: EvidenceFile) -> set[tuple[str, str]]:
    pairs = {(e.account, e.region) for e in part.evidence if e.account and e.region}
    return pairs or {(a, r) for a in part.accounts for r in part.regions}


def _organization(parts: Sequence[tuple[Path, EvidenceFile]]) -> dict[str, Any]:
    orgs = [dict(f.scope.get("organization") or {}) for _, f in parts]
    actives = {len(o.get("reviewed", [])) + int(o.get("other_shards", 0)) for o in orgs}
    if len(actives) > 1:
        raise UsageError(
            "The files saw different numbers of active accounts in the organization "
            f"({', '.join(str(n) for n in sorted(actives))}): they were not collected together.",
            hint="Run every shard of one matrix with the same --org-role, --ou and "
            "--exclude-account options, close in time.",
        )
    merged: dict[str, Any] = dict(orgs[0])
    for key in ("reviewed", "suspended", "excluded", "unreachable"):
        merged[key] = sorted({a for o in orgs for a in o.get(key, [])})
    merged["other_shards"] = actives.pop() - len(merged["reviewed"])
    return merged


def _regions(files: Sequence[EvidenceFile]) -> tuple[str, ...]:
    ordered: list[str] = []
    for part in files:
        ordered.extend(r for r in part.regions if r not in ordered)
    return tuple(ordered)


def _summed(counts: Sequence[dict[str, int]]) -> dict[str, int]:
    total: dict[str, int] = {}
    for count in counts:
        for key, value in count.items():
            total[key] = total.get(key, 0) + value
    return total
