"""docs/checks.md, generated from the checks' metadata and the questionnaire that maps them to
choices: `python -m wa_review.questionnaires.checks_doc > docs/checks.md`."""

from __future__ import annotations

import sys

from wa_review.checks import all_checks
from wa_review.questionnaires import sec2


def render_markdown() -> str:
    lines = [
        "# Checks",
        "",
        "Generated from the checks' metadata by `python -m wa_review.questionnaires.checks_doc > docs/checks.md`;",
        "a test fails when this file and the code disagree. Every check reports `pass`, `fail`,",
        "`warn` or `unknown` for each in-scope resource it applies to, and `not_applicable` for a",
        "region with nothing in scope. Errors (AccessDenied, throttling, a missing API) are `unknown`.",
        "",
    ]
    checks = all_checks()
    for choice in (c for c in sec2().choices if c.checks):
        lines += [f"## {choice.title} (`{choice.id}`)", ""]
        for item in (c for c in checks if c.meta.id in choice.checks):
            meta = item.meta
            lines += [
                f"### `{meta.id}` — {meta.title}",
                "",
                f"- **Severity:** {meta.severity.value}",
                f"- **Service:** {meta.service}",
                f"- **Why:** {meta.rationale}",
                f"- **Fix:** {meta.remediation}",
            ]
            if meta.references:
                lines.append(
                    "- **References:** " + ", ".join(f"<{ref}>" for ref in meta.references)
                )
            lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(render_markdown())
