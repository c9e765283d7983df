"""Save and load review sessions as readable YAML: atomic writes, and a last good copy beside."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from wa_review.errors import InputFileError
from wa_review.files import write_atomic
from wa_review.questionnaires.loader import describe_error
from wa_review.questionnaires.yaml_io import YamlProblem, dump_yaml, parse_yaml, read_bounded
from wa_review.review.session import SESSION_SCHEMA_VERSION, ReviewSession

log = logging.getLogger(__name__)

# A session is a few KiB (suggestion reasons quote at most three findings each). The limit also
# bounds the time to refuse a hostile file: the pure-Python YAML parser needs seconds per MiB
# of small nodes, so 8 MiB took about 25 s.
MAX_SESSION_BYTES = 1024 * 1024
_HEADER = (
    "# wa-review review session. Hand edits are fine, but a file that does not validate is\n"
    "# refused; the previous good version is kept next to it as <name>.bak.\n"
)


def last_good_copy(path: Path) -> Path:
    """review.yaml -> review.yaml.bak"""
    return path.with_name(path.name + ".bak")


def session_to_yaml(session: ReviewSession) -> str:
    return _HEADER + dump_yaml(session.model_dump(mode="json"))


def _parse(text: str, path: Path) -> ReviewSession:
    bak = last_good_copy(path)
    hint = (
        f"The last good copy is {bak}: compare the two, then copy it over {path} "
        "or fix the field by hand."
        if bak.exists() and bak != path
        else f"Fix the field by hand, or run 'wa-review assess EVIDENCE -o {path}' on a new file."
    )
    try:
        raw: Any = parse_yaml(text)
    except YamlProblem as err:
        raise InputFileError(f"{path}: damaged review session: {err}", hint=hint) from err
    if not isinstance(raw, dict):
        raise InputFileError(f"{path}: damaged review session: not a YAML mapping", hint=hint)
    version = raw.get("schema_version")
    if isinstance(version, int) and version > SESSION_SCHEMA_VERSION:
        raise InputFileError(
            f"{path}: schema_version {version} was written by a newer wa-review "
            f"(this one reads {SESSION_SCHEMA_VERSION})",
            hint="Upgrade wa-review to open this review.",
        )
    if version != SESSION_SCHEMA_VERSION:
        raise InputFileError(
            f"{path}: schema_version: expected {SESSION_SCHEMA_VERSION}, got {version!r}",
            hint=hint,
        )
    try:
        return ReviewSession.model_validate(raw)
    except ValidationError as err:
        where, what = describe_error(err.errors()[0])
        place = f"{where}: " if where else ""
        raise InputFileError(f"{path}: damaged review session: {place}{what}", hint=hint) from err


def load_session(path: Path) -> ReviewSession:
    """Load a session; a damaged file is refused with the field and the last good copy named."""
    path = Path(path)
    try:
        text = read_bounded(path, max_bytes=MAX_SESSION_BYTES)
    except OSError as err:
        raise InputFileError(f"Cannot read review session {path}: {err.strerror}") from err
    except YamlProblem as err:
        raise InputFileError(f"{path}: {err}") from err
    return _parse(text, path)


def save_session(session: ReviewSession, path: Path) -> None:
    """Write atomically; the version being replaced becomes the last good copy if it was good."""
    path = Path(path)
    text = session_to_yaml(session)
    size = len(text.encode("utf-8"))
    if size > MAX_SESSION_BYTES:  # load_session would refuse it: keep the good file instead
        raise InputFileError(
            f"Not saved to {path}: the session would be {size:,} bytes, more than the "
            f"{MAX_SESSION_BYTES:,} a session may hold.",
            hint="Shorten the longest notes; the file on disk is the last version saved.",
        )
    _parse(text, path)  # what we write we must be able to read back
    if path.exists():
        try:
            previous = read_bounded(path, max_bytes=MAX_SESSION_BYTES)
            _parse(previous, path)
        except (OSError, YamlProblem, InputFileError) as err:
            # A damaged file is never promoted to "last good": the old .bak stays as it is.
            log.warning("not keeping %s as the last good copy: %s", path, err)
        else:
            write_atomic(last_good_copy(path), previous)
    write_atomic(path, text)
