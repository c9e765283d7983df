"""The selected evidence in full: statement, the judge's reasons, route or rule, remediation."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from wa_review.checks import get_check
from wa_review.model.evidence import Evidence
from wa_review.review.findings import display_name
from wa_review.tui.safe import clean, literal
from wa_review.tui.widgets.evidence_rows import SEVERITY_STYLE, STATUS_STYLE

# Detail keys that say which route, rule or path decided a network finding.
NETWORK_KEYS = ("route", "routes", "rule", "rules", "path", "nacl", "security_group", "egress")
SHOWN_KEYS = {"policies", "reasons", "error", *NETWORK_KEYS}


def _pretty(value: Any) -> str:
    """JSON (or a JSON string) pretty-printed; anything else as text."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return str(value)
    try:
        return json.dumps(value, indent=2, sort_keys=False, default=str)
    except (TypeError, ValueError):
        return str(value)


def _heading(out: Text, title: str) -> None:
    out.append(f"\n{title}\n", style="bold underline")


# The judge's access classes in a reviewer's words (the JSON keeps the class names).
CLASS_WORDS = {
    "public": "Public",
    "unknown": "Cannot tell",
    "cross_account": "Another account",
    "service_unscoped": "A service, for any caller",
    "network_restricted": "Limited by network",
    "org_only": "Organization only",
    "service_scoped": "A service, for our resources",
    "account_only": "This account only",
}


def _reason(out: Text, reason: Mapping[str, Any]) -> None:
    label = str(reason.get("class") or "")
    words = CLASS_WORDS.get(label) or label.replace("_", " ").capitalize() or "Reason"
    out.append("• ", style="bold")
    out.append_text(literal(f"{words}: ", style="bold"))
    out.append_text(literal(reason.get("detail", ""), multiline=True))
    out.append("\n")
    statement = reason.get("statement_json") or reason.get("statement")
    if statement:
        out.append_text(literal(_pretty(statement), style="italic", multiline=True))
        out.append("\n")


def render_evidence(evidence: Evidence) -> Text:
    """Everything about one evidence row; every AWS-derived value is shown literally."""
    out = Text(end="")
    out.append_text(literal(evidence.status.value.upper(), style=STATUS_STYLE[evidence.status]))
    registered = get_check(evidence.check_id)
    out.append("  ")
    out.append_text(
        literal(registered.meta.title if registered else evidence.check_id, style="bold")
    )
    out.append("\n")
    out.append("Severity: ", style="bold")
    if registered:
        severity = registered.meta.severity
        out.append(severity.value.upper(), style=SEVERITY_STYLE.get(severity, ""))
    else:
        out.append("unrated (a check this version does not know)", style="dim")
    out.append("\n")
    for label, value in (
        ("Name", display_name(evidence)),
        ("Resource", evidence.resource_arn or "-"),
        ("Account", evidence.account),
        ("Region", evidence.region),
        ("Check", evidence.check_id),
    ):
        out.append(f"{label}: ", style="bold")
        out.append_text(literal(value))
        out.append("\n")
    out.append("\n")
    out.append_text(literal(evidence.summary, multiline=True))
    out.append("\n")
    details = evidence.details
    for policy in details.get("policies") or []:
        _heading(out, f"Policy {clean(policy.get('target', ''))}".rstrip())
        for reason in policy.get("reasons") or []:
            _reason(out, reason)
    if details.get("reasons"):
        _heading(out, "The judge's reasons")
        for reason in details["reasons"]:
            if isinstance(reason, Mapping):
                _reason(out, reason)
            else:
                out.append("• ")
                out.append_text(literal(reason, multiline=True))
                out.append("\n")
    for key in NETWORK_KEYS:
        if key in details:
            _heading(out, f"Decided by ({key})")
            out.append_text(literal(_pretty(details[key]), multiline=True))
            out.append("\n")
    if details.get("error"):
        _heading(out, "Error")
        error = details["error"]
        text = (
            f"{error.get('service', '')}:{error.get('operation', '')} "
            f"{error.get('code', '')}: {error.get('message', '')}"
            if isinstance(error, Mapping)
            else str(error)
        )
        out.append_text(literal(text, multiline=True))
        out.append("\n")
    other = {k: v for k, v in details.items() if k not in SHOWN_KEYS}
    if other:
        _heading(out, "Details")
        out.append_text(literal(_pretty(other), multiline=True))
        out.append("\n")
    if registered:
        _heading(out, "Remediation")
        out.append_text(literal(registered.meta.remediation, multiline=True))
        out.append("\n")
        for url in registered.meta.references:
            out.append_text(literal(url, style="underline"))
            out.append("\n")
    return out


class DetailPane(VerticalScroll):
    """Scrollable; `show(None)` says there is nothing selected."""

    DEFAULT_CSS = """
    DetailPane { height: 1fr; border: round $primary-muted; padding: 0 1; }
    DetailPane > Static { width: 1fr; }
    """

    def compose(self) -> Any:
        yield Static(Text("Select evidence to see its details.", style="dim"), id="detail-body")

    def show(self, evidence: Evidence | None, *, filters: str = "") -> None:
        body = self.query_one("#detail-body", Static)
        if evidence is None and filters:
            message = Text(f"No evidence matches {filters}. ", style="dim")
            message.append("Press c to clear the filters.", style="dim italic")
            body.update(message)
        elif evidence is None:
            body.update(Text("No evidence matches.", style="dim"))
        else:
            body.update(render_evidence(evidence))
        self.scroll_home(animate=False)
