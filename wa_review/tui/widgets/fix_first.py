"""The "Fix first" list the overview and the summary open with: failing findings, worst first."""

from __future__ import annotations

from rich.text import Text

from wa_review.review.findings import fix_first
from wa_review.review.session import active_exceptions
from wa_review.tui.safe import literal
from wa_review.tui.state import Review
from wa_review.tui.widgets.evidence_rows import SEVERITY_STYLE

SHOWN = 5


def fix_first_text(review: Review, *, shown: int = SHOWN) -> Text:
    """Two lines per finding, never wrapped: severity, resource and why; then the fix."""
    evidence = (e for s in review.assessment.suggestions for e in s.evidence)
    items = fix_first(evidence, accepted=active_exceptions(review.session))
    out = Text(no_wrap=True, overflow="ellipsis")
    out.append("Fix first", style="bold underline")
    if not items:
        out.append("\nNothing fails", style="green")
        out.append(" (accepted exceptions left out)." if review.session.exceptions else ".")
        return out
    for item in items[:shown]:
        out.append("\n")
        out.append(
            f"{item.severity_text.upper():<9}",
            style=SEVERITY_STYLE[item.severity] if item.severity else "dim",
        )
        out.append_text(literal(item.resource, style="bold"))
        out.append(": ")
        out.append_text(literal(item.why))
        fix = item.command or item.advice
        if fix:
            out.append("\n         → ", style="dim")
            out.append_text(literal(fix, style="italic" if item.command else "dim"))
    if len(items) > shown:
        out.append(
            f"\n… and {len(items) - shown} more failing findings in the practices", style="dim"
        )
    return out
