"""Golden files for each report format, from the hand-built fixture.

After an intended change: UPDATE_GOLDEN=1 pytest tests/report/test_golden.py, then read the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.report.conftest import stub_lookup
from wa_review.report import ReportFormat, render
from wa_review.review.bundle import ReviewBundle

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("fmt", list(ReportFormat), ids=lambda f: f.value)
def test_matches_golden(bundle: ReviewBundle, fmt: ReportFormat) -> None:
    text = render(
        bundle.session, bundle.questionnaire, bundle.evidence_file, fmt=fmt, lookup=stub_lookup
    )
    path = GOLDEN / f"sec2.{fmt.extension}"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_bytes(text.encode("utf-8"))
    # Bytes, not text: CSV's CRLF line ends must not be translated away on reading.
    assert text == path.read_bytes().decode("utf-8"), (
        f"{path.name} changed: see the module docstring"
    )


def test_markdown_keeps_names_from_aws_literal(bundle: ReviewBundle) -> None:
    text = render(
        bundle.session, bundle.questionnaire, bundle.evidence_file, fmt="md", lookup=stub_lookup
    )
    assert r"function:\<script\>alert(1)\</script\>" in text
    assert r"function:\[bold\]x\[/\]" in text
    assert r"arn:aws:s3:::\!\[img\](http://x)" in text
    assert r"\[link\](javascript:alert(1))" in text
    assert "<script>" not in text and "<b>" not in text


def test_html_has_no_active_content(bundle: ReviewBundle) -> None:
    html = render(
        bundle.session, bundle.questionnaire, bundle.evidence_file, fmt="html", lookup=stub_lookup
    )
    assert "function:&lt;script&gt;alert(1)&lt;/script&gt;" in html
    lowered = html.lower()
    for needle in (
        "<script",
        "<img",
        "<link",
        "<iframe",
        'href="javascript',
        "@import",
        "url(",
        "src=",
    ):
        assert needle not in lowered, needle
    assert "default-src 'none'" in html  # and a CSP in case anything slipped through


def test_json_is_the_wa_interchange_plus_evidence(bundle: ReviewBundle) -> None:
    data = json.loads(
        render(bundle.session, bundle.questionnaire, bundle.evidence_file, fmt="json")
    )
    assert data["LensAlias"] == "serverless" and data["QuestionId"] == "sec_q2"
    assert data["SelectedChoices"] == ["sec_sec_q2_a4", "sec_sec_q2_a3"]
    assert data["ChoiceUpdates"]["sec_sec_q2_a2"] == {
        "Status": "NOT_APPLICABLE",
        "Notes": data["ChoiceUpdates"]["sec_sec_q2_a2"]["Notes"],
        "Reason": "OUT_OF_SCOPE",
    }
    assert data["IsApplicable"] is True and "Reason" not in data
    assert len(data["Notes"]) <= 2084
    assert data["LensVersion"] is None
    assert data["risk"] == {"shown": "HIGH", "source": "estimate", "estimate": "HIGH"}
    assert len(data["evidence"]["sec_sec_q2_a2"]) == 14 and data["evidence"]["sec_sec_q2_no"] == []
    assert data["workload"]["name"] == "orders-platform"
