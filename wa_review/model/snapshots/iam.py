"""IAM: Lambda execution roles with their policies, and local policies about Lambda VPC settings."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import unquote

from wa_review.model.evidence import FetchError


@dataclass(frozen=True, slots=True)
class IamPolicyDoc:
    """One policy's default version (managed) or its text (inline).

    `arn` is the managed policy's ARN; an inline policy has none, so it is "".
    `document` is None exactly when `error` says why it could not be read.
    """

    name: str
    arn: str
    document: dict[str, Any] | None = None
    error: FetchError | None = None
    # Local policies only: whether any user, group or role is bound by it (as a policy or a
    # permissions boundary); None when IAM did not say. An unattached policy guards nothing.
    in_use: bool | None = None

    @property
    def label(self) -> str:
        return f"managed policy {self.name}" if self.arn else f"inline policy {self.name}"


@dataclass(frozen=True, slots=True)
class LambdaRole:
    """A role whose trust policy lets Lambda assume it: a (possible) function execution role.

    `error` is set when its policies could not be listed; the policies that were read are kept.
    """

    name: str
    arn: str
    attached: tuple[IamPolicyDoc, ...] = ()
    inline: tuple[IamPolicyDoc, ...] = ()
    error: FetchError | None = None

    @property
    def policies(self) -> tuple[IamPolicyDoc, ...]:
        return self.attached + self.inline

    def first_error(self) -> FetchError | None:
        """Why this role's permissions are not fully known, if they are not."""
        if self.error is not None:
            return self.error
        return next((p.error for p in self.policies if p.error is not None), None)


@dataclass(frozen=True, slots=True)
class IamSnapshot:
    service: ClassVar[str] = "iam"
    roles: tuple[LambdaRole, ...] = ()
    # Customer-managed policies whose statements can cover lambda:CreateFunction or
    # lambda:UpdateFunctionConfiguration (the place a VPC guardrail would sit).
    local_policies: tuple[IamPolicyDoc, ...] = ()
    listing_error: FetchError | None = None  # list_roles failed: no role is known
    local_policies_error: FetchError | None = None  # list_policies(Scope=Local) failed

    def role_for(self, role_arn: str) -> LambdaRole | None:
        """The role a function names. Role names are unique per account and case-insensitive,
        so match on account and name: the function's ARN may spell the path differently."""
        wanted = _role_key(role_arn)
        return next((r for r in self.roles if _role_key(r.arn) == wanted), None)


def _role_key(arn: str) -> tuple[str, str]:
    parts = arn.split(":", 5)
    account = parts[4] if len(parts) == 6 else ""
    return account, arn.rsplit("/", 1)[-1].lower()


# -- reading IAM policy documents (pure helpers shared by collector and checks) ---------------


def decode_document(raw: object) -> dict[str, Any] | None:
    """A policy document as a dict, from botocore's decoded dict or IAM's wire text.

    IAM returns documents URL-encoded (`%7B%22Version%22...`); botocore decodes them, but leaves
    the text as is when it cannot, and other clients may pass it through. None when unreadable.
    """
    if isinstance(raw, dict):
        return raw
    if not isinstance(raw, str):
        return None
    for text in (raw, unquote(raw)):
        try:
            value = json.loads(text)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    return None


def as_strings(value: object) -> tuple[str, ...]:
    """An IAM element that may be a string or a list of strings, as a tuple."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(str(v) for v in value if isinstance(v, str | int | float))
    return ()


def statements(document: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The statements of a document (a lone statement object counts as a list of one)."""
    if not document:
        return []
    raw = document.get("Statement")
    items = [raw] if isinstance(raw, dict) else raw
    if not isinstance(items, list):
        return []
    return [s for s in items if isinstance(s, dict)]


def statement_label(statement: dict[str, Any], index: int) -> str:
    sid = statement.get("Sid")
    return str(sid) if isinstance(sid, str) and sid.strip() else f"#{index + 1}"


def action_matches(pattern: str, action: str) -> bool:
    """IAM action matching: case-insensitive, `*` and `?` wildcards (no character classes)."""
    regex = "".join(
        ".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in pattern.lower()
    )
    return re.fullmatch(regex, action.lower()) is not None


_WILDCARD = re.compile(r"[*?]")


def has_wildcard(text: str) -> bool:
    return bool(_WILDCARD.search(text))


def covers_action(statement: dict[str, Any], action: str) -> bool:
    """Whether the statement's Action (or NotAction) element applies to `action`."""
    if "NotAction" in statement:
        return not any(action_matches(p, action) for p in as_strings(statement["NotAction"]))
    return any(action_matches(p, action) for p in as_strings(statement.get("Action")))
