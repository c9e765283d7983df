"""The evidence file written by `wa-review collect`: schema, save and strict load."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from wa_review.errors import InputFileError
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
    choice_id: str


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
        evidence=tuple(Evidence(**e.model_dump()) for e in model.evidence),
    )


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write a temp file beside `path`, then os.replace: a crash never leaves half a file.

    The file gets the mode a plain open() would give (0666 less the umask), or keeps the mode
    of the file it replaces: mkstemp's private 0600 would surprise whoever shares a report.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process umask, read without changing it (Linux reports it in /proc)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022
