"""Option values checked when click parses them: one type per concept, shared by every command.

A wrong value stops the command with click's own "Invalid value for '--region': ..." and exit 2,
before anything is read or written. Length limits come from the pydantic models that hold the
values later (wa_review.review.session), so the two cannot disagree.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args
from urllib.parse import urlsplit

import annotated_types
import click
from pydantic import BaseModel

from wa_review.errors import UsageError
from wa_review.review.session import AccountId, Workload

# AWS Region names: partition-area-number, e.g. eu-west-1, us-gov-west-1, ap-southeast-4.
_REGION = r"^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$"
_ORG_ID = r"^o-[a-z0-9]{10,32}$"
_ROLE_ARN = r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$"


if TYPE_CHECKING:  # generic only from click 8.2; the project allows 8.1
    _ParamType = click.ParamType[str, Any]
else:
    _ParamType = click.ParamType


class _Checked(_ParamType):
    """A string checked by `problem` (which says what is wrong, or returns None)."""

    def problem(self, value: str) -> str | None:
        raise NotImplementedError

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value)
        found = self.problem(text)
        if found is not None:
            self.fail(found, param, ctx)
        return text


class Matching(_Checked):
    """A string that must match `pattern`; `expected` says what one looks like."""

    def __init__(self, name: str, pattern: str, expected: str) -> None:
        self.name = name
        self._pattern = re.compile(pattern)
        self._expected = expected

    def problem(self, value: str) -> str | None:
        return None if self._pattern.match(value) else f"{value!r} is not {self._expected}."


class EndpointUrlType(_Checked):
    name = "url"

    def problem(self, value: str) -> str | None:
        parts = urlsplit(value)
        if parts.scheme in ("http", "https") and parts.hostname:
            try:
                parts.port  # noqa: B018 - raises on a port that is not a number
            except ValueError:
                pass
            else:
                return None
        return f"{value!r} is not an http(s) URL (e.g. http://127.0.0.1:5000)."


class ModelText(_Checked):
    """Text whose length limits are those of a pydantic model's field."""

    def __init__(self, model: type[BaseModel], field: str, *, what: str) -> None:
        self.name = what
        self.low, self.high = _length_limits(model, field)

    def problem(self, value: str) -> str | None:
        if self.low <= len(value) <= self.high:
            return None
        limits = f"{self.low}-{self.high}" if self.low else f"at most {self.high}"
        return f"{self.name} must be {limits} characters, and this one is {len(value)}."


def _pattern_of(annotated: object) -> str:
    """The regular expression in an Annotated[str, StringConstraints(pattern=...)]."""
    for rule in get_args(annotated)[1:]:
        pattern = getattr(rule, "pattern", None)
        if isinstance(pattern, str):
            return pattern
    raise ValueError(f"{annotated!r} has no pattern")


def _length_limits(model: type[BaseModel], field: str) -> tuple[int, int]:
    low, high = 0, 10**9
    for rule in model.model_fields[field].metadata:
        if isinstance(rule, annotated_types.MinLen):
            low = rule.min_length
        elif isinstance(rule, annotated_types.MaxLen):
            high = rule.max_length
    return low, high


class OutputFileType(_Checked):
    """A file to write: its folder, if it exists, must be a folder we can write in (checked
    before a long collection, not after it)."""

    name = "file"

    def problem(self, value: str) -> str | None:
        path = Path(value)
        if path.is_dir():
            return f"{value!r} is a folder; name a file in it."
        folder = next((p for p in path.absolute().parents if p.exists()), None)
        if folder is not None and not folder.is_dir():
            return f"{str(folder)!r} is a file, not a folder."
        if folder is not None and not os.access(folder, os.W_OK | os.X_OK):
            return f"cannot write in {str(folder)!r}."
        return None

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        return Path(super().convert(value, param, ctx))


REGION = Matching("region", _REGION, "an AWS Region name; write it as AWS does, e.g. eu-west-1")
# The session's own account id rule (review.session.AccountId).
ACCOUNT_ID = Matching(
    "account",
    _pattern_of(AccountId),
    "an AWS account id (12 digits, e.g. 123456789012)",
)
ORG_ID = Matching("org-id", _ORG_ID, "an AWS Organizations id (o- and 10-32 letters or digits)")
ROLE_ARN = Matching(
    "role-arn",
    _ROLE_ARN,
    "an IAM role ARN (e.g. arn:aws:iam::123456789012:role/wa-review-readonly)",
)
ENDPOINT_URL = EndpointUrlType()
OUTPUT_FILE = OutputFileType()
WORKLOAD_NAME = ModelText(Workload, "name", what="a workload name")
DESCRIPTION = ModelText(Workload, "description", what="a workload description")
REVIEW_OWNER = ModelText(Workload, "review_owner", what="a review owner")


def from_usage_error(
    check: Callable[[str], object],
) -> Callable[[click.Context, click.Parameter, str | None], str | None]:
    """A click callback from a parser that raises UsageError (its message becomes click's)."""

    def callback(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            check(value)
        except UsageError as err:
            text = err.message.rstrip(".") + "." + (f" {err.hint}" if err.hint else "")
            raise click.BadParameter(text) from err
        return value

    return callback
