"""Text from AWS that tries to be markup: Rich markup, ANSI escapes, HTML/JS and Markdown links
and images in resource names, tags, policy Sids and descriptions.

It must show literally in the TUI, be escaped in the Markdown and HTML reports (even for a
Markdown viewer that allows raw HTML), and be harmless in the notes pushed to the WA Tool.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from wa_review.assessment import assess
from wa_review.model.evidence import Evidence, FetchError, Status
from wa_review.model.evidence_file import CollectionStats, EvidenceFile
from wa_review.questionnaires import sec2
from wa_review.report.render import render
from wa_review.review.bundle import evidence_ref
from wa_review.review.outcome import new_session, refresh_suggestions
from wa_review.review.payload import payload_from_session
from wa_review.review.session import ReviewSession, Workload, annotate, with_question_notes
from wa_review.tui.safe import literal

ACCOUNT = "123456789012"
REGION = "us-east-1"
HOSTILE = (
    "[bold red]boom[/]",
    "[/]",
    "[link=http://evil.example]x[/link]",
    "\x1b[31mred\x1b[0m\x1b]8;;http://evil.example\x07click\x1b]8;;\x07",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "![i](http://x/y.png)",
    "<http://evil.example>",
    "`code` *em* __strong__ | cell | # heading",
    "line\nbreak\r\nand\ttab\u202eevil\u200b",
)
# Terminal controls (C0, DEL, C1: ESC and CSI start sequences) and the bidi overrides and
# isolates that reorder what a reader sees. Zero-width characters are invisible but inert, so
# reports and notes may keep them; the TUI shows them escaped as well.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
TUI_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def _evidence() -> tuple[Evidence, ...]:
    rows = []
    for n, text in enumerate(HOSTILE):
        arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{text}"
        details = {"statement": {"Sid": text, "Principal": "*"}, "tags": {"Name": text}}
        status = Status.FAIL if n % 2 == 0 else Status.PASS
        rows.append(
            Evidence(
                "lambda.function_policy_public",
                status,
                arn,
                REGION,
                ACCOUNT,
                f"{text} (Sid {text}) may be invoked by anyone",
                details=details,
            )
        )
        rows.append(
            Evidence(
                "lambda.unique_execution_role",
                Status.UNKNOWN,
                arn,
                REGION,
                ACCOUNT,
                f"Could not check role {text}",
                details={"description": text},
            )
        )
    return tuple(rows)


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[ReviewSession, EvidenceFile]:
    error = FetchError("lambda", "GetPolicy", "AccessDenied", HOSTILE[3] + HOSTILE[4], REGION)
    evidence = EvidenceFile(
        tool_version="0.1.0",
        collected_at="2026-03-02T09:00:00Z",
        accounts=(ACCOUNT,),
        regions=(REGION,),
        scope={"mode": "tags", "tags": [[HOSTILE[4], HOSTILE[6]]]},
        stats=CollectionStats(calls={"lambda:ListFunctions": 1}, errors=1),
        errors=(error,),
        evidence=_evidence(),
    )
    path = tmp_path / "evidence.json"
    evidence.save(path)
    questionnaire = sec2()
    workload = Workload(name="hostile <b>app</b> [red]x[/]", description=HOSTILE[6])
    session = new_session(questionnaire, workload)
    found = assess(questionnaire, evidence.evidence)
    session = refresh_suggestions(
        session, questionnaire, found, evidence_ref(path, tmp_path / "review.yaml", evidence)
    )
    session = annotate(session, "sec_sec_q2_a1", HOSTILE[4] + " " + HOSTILE[3])
    session = with_question_notes(session, "\n".join(HOSTILE))
    return session, evidence


def test_markdown_escapes_everything_even_for_a_viewer_that_allows_html(
    hostile: tuple[ReviewSession, EvidenceFile],
) -> None:
    session, evidence = hostile
    markdown = render(session, sec2(), evidence, fmt="md")
    assert not CONTROL.search(markdown.replace("\n", ""))
    # GitHub-style viewers render raw HTML and images: read it as such a viewer would.
    tokens = MarkdownIt("commonmark").parse(markdown)
    for token in (t for block in tokens for t in [block, *(block.children or [])]):
        assert token.type not in ("html_inline", "html_block", "image"), token.content
        if token.type == "link_open":
            href = str(token.attrs.get("href", ""))
            assert href.startswith("https://docs.aws.amazon.com") or href.startswith(
                "https://aws.amazon.com"
            ), href


def _plain_text(markdown: str) -> str:
    """What a reader sees: the rendered text with every tag stripped."""
    html = MarkdownIt("commonmark").render(markdown)
    return (
        re.sub(r"<[^>]+>", "", html).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    )


def test_the_markdown_shows_the_names_as_they_are(
    hostile: tuple[ReviewSession, EvidenceFile],
) -> None:
    session, evidence = hostile
    seen = _plain_text(render(session, sec2(), evidence, fmt="md"))
    for text in HOSTILE[:3] + HOSTILE[4:9]:
        assert text in seen, text


def test_html_has_no_active_content(hostile: tuple[ReviewSession, EvidenceFile]) -> None:
    session, evidence = hostile
    html = render(session, sec2(), evidence, fmt="html")
    lowered = html.lower()
    assert "<script" not in lowered and "<img" not in lowered  # only as escaped text
    assert 'href="javascript:' not in lowered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not CONTROL.search(html.replace("\n", ""))
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert all(h.startswith(("https://", "#")) for h in hrefs), hrefs


def test_json_keeps_the_text_exactly(hostile: tuple[ReviewSession, EvidenceFile]) -> None:
    session, evidence = hostile
    data = json.loads(render(session, sec2(), evidence, fmt="json"))
    arns = {e["resource_arn"] for rows in data["evidence"].values() for e in rows}
    assert {f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{t}" for t in HOSTILE} <= arns


def test_wa_tool_notes_hold_no_control_characters(
    hostile: tuple[ReviewSession, EvidenceFile],
) -> None:
    session, evidence = hostile
    payload = payload_from_session(session, sec2(), evidence.evidence)
    notes = [payload.notes, *(c.notes for c in payload.choices)]
    for text in notes:
        assert not CONTROL.search(text.replace("\n", "")), repr(text)
    updates = payload.to_interchange()["ChoiceUpdates"]
    assert isinstance(updates, dict)
    assert all(len(u["Notes"]) <= 250 for u in updates.values())


def test_the_tui_shows_the_text_literally() -> None:
    for text in HOSTILE:
        shown = literal(text)
        assert not TUI_CONTROL.search(shown.plain)
        assert shown.spans == []  # no style came from the text itself
        if "\x1b" not in text and "\n" not in text and "\t" not in text:
            assert shown.plain.startswith(text[:3])
    assert literal("[bold red]boom[/]").plain == "[bold red]boom[/]"
    assert literal("\x1b[31mred").plain == "\\x1b[31mred"
