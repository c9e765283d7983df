"""The evidence file written by `wa-review collect`: schema, save and strict load."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from wa_review.errors import InputFileError
from wa_review.files import write_atomic
from wa_review.model.evidence import Evidence, FetchError, Status

SCHEMA_VERSION = 1


@dataclass(frozen=True, slots=True)
class CollectionStats:
    calls: dict[str, int] = field(default_factory=dict)  # "service:Operation" -> count
    errors: int = 0
    seconds: float = 0.0
    throttled: int = 0


@dataclass(frozen=True, slots=True)
class EvidenceFile:
    tool_version: str
    collected_at: str
    accounts: tuple[str, ...]
    regions: tuple[str, ...]
    scope: dict[str, Any]
    stats: CollectionStats
    errors: tuple[FetchError, ...]
    evidence: tuple[Evidence, ...]
    schema_version: int = SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": self.schema_version,
            "tool_version": self.tool_version,
            "collected_at": self.collected_at,
            "accounts": list(self.accounts),
            "regions": list(self.regions),
            "scope": self.scope,
            "stats": {
                "calls": dict(sorted(self.stats.calls.items())),
                "errors": self.stats.errors,
                "seconds": round(self.stats.seconds, 3),
                "throttled": self.stats.throttled,
            },
            "errors": [e.to_dict() for e in self.errors],
            "evidence": [e.to_dict() for e in self.evidence],
        }

    def save(self, path: Path) -> None:
        write_atomic(path, json.dumps(self.to_dict(), indent=2, sort_keys=False) + "\n")


# --- strict loading: the file may have been edited, truncated or tampered with ---------------


class _Stats(BaseModel):
    model_config = ConfigDict(extra="forbid")
    calls: dict[str, int]
    errors: int
    seconds: float
    throttled: int = 0


class _Error(BaseModel):
    model_config = ConfigDict(extra="forbid")
    service: str
    operation: str
    code: str
    message: str
    region: str = ""
    account: str = ""
    resource: str = ""


class _Evidence(BaseModel):
    model_config = ConfigDict(extra="forbid")
    check_id: str = Field(min_length=1)
    status: Status
    resource_arn: str
    region: str
    account: str
    summary: str
    details: dict[str, Any]
    # Files written before the questionnaire alone mapped checks to choices carry the choice
    # here; it is read and dropped (the YAML says which choice a check's evidence supports).
    choice_id: str | None = None


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")
    schema_version: int
    tool_version: str
    collected_at: str
    accounts: list[str]
    regions: list[str]
    scope: dict[str, Any]
    stats: _Stats
    errors: list[_Error]
    evidence: list[_Evidence]


MAX_EVIDENCE_BYTES = 200 * 1024 * 1024


def load_evidence_file(path: Path) -> EvidenceFile:
    """Load and validate an evidence file; errors name the file and the field."""
    try:
        size = path.stat().st_size
        if size > MAX_EVIDENCE_BYTES:
            raise InputFileError(
                f"{path}: {size} bytes is larger than an evidence file can be",
                hint="Pass the JSON written by 'wa-review collect --output'.",
            )
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise InputFileError(f"Cannot read evidence file {path}: {err.strerror}") from err
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as err:
        raise InputFileError(
            f"{path}: not valid JSON ({err})",
            hint="The file may be truncated; run 'wa-review collect' again.",
        ) from err
    if not isinstance(raw, dict):
        raise InputFileError(f"{path}: expected a JSON object at the top level")
    version = raw.get("schema_version")
    if version != SCHEMA_VERSION:
        raise InputFileError(
            f"{path}: schema_version {version!r} is not supported (expected {SCHEMA_VERSION})",
            hint="Collect again with this version of wa-review.",
        )
    try:
        model = _File.model_validate(raw)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputFileError(
            f"{path}: {where}: {first['msg']}",
            hint="The evidence file was edited or damaged; collect again.",
        ) from err
    return EvidenceFile(
        schema_version=model.schema_version,
        tool_version=model.tool_version,
        collected_at=model.collected_at,
        accounts=tuple(model.accounts),
        regions=tuple(model.regions),
        scope=model.scope,
        stats=CollectionStats(
            model.stats.calls, model.stats.errors, model.stats.seconds, model.stats.throttled
        ),
        errors=tuple(FetchError(**e.model_dump()) for e in model.errors),
        evidence=tuple(Evidence(**e.model_dump(exclude={"choice_id"})) for e in model.evidence),
    )
