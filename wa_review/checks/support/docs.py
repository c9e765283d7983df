"""docs/checks.md is generated from the checks' own metadata: `python -m wa_review.checks.support.docs`."""

from __future__ import annotations

import sys

from wa_review.checks.support.registry import all_checks

CHOICE_TITLES = {
    "sec_sec_q2_a1": "Evaluate and define resource policies",
    "sec_sec_q2_a4": "Use temporary credentials between resources and components",
    "sec_sec_q2_a2": "Control network traffic at all layers",
    "sec_sec_q2_a3": "Design smaller, single purpose functions",
}


def render_markdown() -> str:
    lines = [
        "# Checks",
        "",
        "Generated from the checks' metadata by `python -m wa_review.checks.support.docs > docs/checks.md`;",
        "a test fails when this file and the code disagree. Every check reports `pass`, `fail`,",
        "`warn` or `unknown` for each in-scope resource it applies to, and `not_applicable` for a",
        "region with nothing in scope. Errors (AccessDenied, throttling, a missing API) are `unknown`.",
        "",
    ]
    checks = all_checks()
    for choice_id, title in CHOICE_TITLES.items():
        lines += [f"## {title} (`{choice_id}`)", ""]
        for item in (c for c in checks if c.meta.choice_id == choice_id):
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
