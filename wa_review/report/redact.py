"""Mask AWS account ids in a report that is shared outside the team.

Every 12-digit account id becomes `account-1`, `account-2`, ... numbered in order of first
appearance, so a reader can still tell "the same account" from "another account" without
learning either id. The labels hold no Markdown, HTML or JSON syntax, so they are safe to put
back into any format. Anything that looks like an account id (12 digits standing alone) is
masked: masking one number too many is the safe mistake.
"""

from __future__ import annotations

import json
import re
from typing import Any

from wa_review.report.render import ReportFormat

# Exactly 12 digits, not part of a longer word or number (so hex digests and base64 stay whole).
ACCOUNT_ID = re.compile(r"(?<![0-9A-Za-z])\d{12}(?![0-9A-Za-z])")
# In HTML, the stylesheet and its CSP hash are ours and must stay byte for byte as written.
_HTML = re.compile(
    r"(?P<keep><style[^>]*>.*?</style>|sha256-[A-Za-z0-9+/=]{44})|" + ACCOUNT_ID.pattern,
    re.DOTALL,
)


class AccountMasker:
    """Gives each distinct account id one label for the whole report."""

    def __init__(self) -> None:
        self._labels: dict[str, str] = {}

    def label(self, account_id: str) -> str:
        return self._labels.setdefault(account_id, f"account-{len(self._labels) + 1}")

    @property
    def masked(self) -> int:
        return len(self._labels)

    def text(self, text: str) -> str:
        return ACCOUNT_ID.sub(lambda m: self.label(m.group(0)), text)

    def html(self, text: str) -> str:
        return _HTML.sub(lambda m: m.group("keep") or self.label(m.group(0)), text)

    def value(self, value: Any) -> Any:
        """A JSON value with every string (keys included) masked; numbers stay numbers."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.value(item) for item in value]
        if isinstance(value, dict):
            return {self.text(str(k)): self.value(v) for k, v in value.items()}
        return value


def redact_account_ids(text: str, fmt: ReportFormat) -> str:
    """The report `text` (in `fmt`) with every account id replaced by its label."""
    masker = AccountMasker()
    if fmt in (ReportFormat.JSON, ReportFormat.LENS, ReportFormat.OCSF):
        # Parsed, not searched as text: a 12-digit JSON number must not become a bare word.
        masked = masker.value(json.loads(text))
        return json.dumps(masked, indent=2, ensure_ascii=False) + "\n"
    if fmt is ReportFormat.HTML:
        return masker.html(text)
    return masker.text(text)
