"""`wa-review report --redact-account-ids`: no account id survives in md, html or json."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import pytest

from wa_review.assessment import assess
from wa_review.cli import main
from wa_review.model.evidence import Evidence, FetchError, Status
from wa_review.model.evidence_file import CollectionStats, EvidenceFile
from wa_review.questionnaires import sec2
from wa_review.report.redact import AccountMasker, redact_account_ids
from wa_review.report.render import ReportFormat
from wa_review.review.bundle import evidence_ref
from wa_review.review.outcome import new_session, refresh_suggestions
from wa_review.review.session import Workload
from wa_review.review.store import save_session

OURS, PARTNER, ORG_MASTER = "111122223333", "444455556666", "777788889999"
ANY_ID = re.compile(r"(?<![0-9A-Za-z])\d{12}(?![0-9A-Za-z])")
FN = f"arn:aws:lambda:eu-west-1:{OURS}:function:"


@pytest.fixture
def review(tmp_path: Path) -> Path:
    evidence = EvidenceFile(
        tool_version="0.1.0",
        collected_at="2026-03-02T09:00:00Z",
        accounts=(OURS, PARTNER),
        regions=("eu-west-1",),
        scope={"mode": "stacks", "stacks": [f"orders-{OURS}"]},
        stats=CollectionStats(calls={"lambda:ListFunctions": 2}, errors=1),
        errors=(
            FetchError(
                "organizations",
                "ListPolicies",
                "AccessDeniedException",
                f"arn:aws:iam::{OURS}:role/reviewer is not authorized (managed by {ORG_MASTER})",
                "us-east-1",
                OURS,
            ),
        ),
        evidence=(
            Evidence(
                "lambda.function_policy_cross_account",
                Status.FAIL,
                FN + "payments",
                "eu-west-1",
                OURS,
                f"payments: account {PARTNER} may invoke it",
                details={"statement": {"Principal": {"AWS": f"arn:aws:iam::{PARTNER}:root"}}},
            ),
            Evidence(
                "lambda.function_policy_public",
                Status.PASS,
                FN + "orders",
                "eu-west-1",
                OURS,
                f"orders: only {OURS} may invoke it",
                details={PARTNER: ["a key that is an account id"]},
            ),
        ),
    )
    evidence_path = tmp_path / "evidence.json"
    evidence.save(evidence_path)
    session_path = tmp_path / "review.yaml"
    questionnaire = sec2()
    session = new_session(
        questionnaire,
        Workload(name=f"serverless-{OURS}", accounts=[OURS, PARTNER], regions=["eu-west-1"]),
    )
    found = assess(questionnaire, evidence.evidence)
    ref = evidence_ref(evidence_path, session_path, evidence)
    save_session(refresh_suggestions(session, questionnaire, found, ref), session_path)
    return session_path


def _report(review: Path, fmt: str, *extra: str) -> str:
    out = review.parent / f"out.{fmt}"
    with pytest.raises(SystemExit) as stop:
        main(["report", str(review), "--format", fmt, "-o", str(out), "--force", *extra])
        raise SystemExit(0)
    assert stop.value.code == 0
    return out.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_no_account_id_survives_redaction(review: Path, fmt: str) -> None:
    plain = _report(review, fmt)
    present = {OURS, PARTNER} | ({ORG_MASTER} if fmt != "json" else set())  # json: no errors
    assert present <= set(ANY_ID.findall(plain))
    redacted = _report(review, fmt, "--redact-account-ids")
    assert ANY_ID.findall(redacted) == []
    assert "account-1" in redacted and "account-2" in redacted
    assert ":function:payments" in redacted  # names and the rest are kept


def test_the_same_id_gets_the_same_label_everywhere(review: Path) -> None:
    data = json.loads(_report(review, "json", "--redact-account-ids"))
    rows = [row for rows in data["evidence"].values() for row in rows]
    labels = {row["account"] for row in rows}
    assert len(labels) == 1
    (ours,) = labels
    assert all(row["resource_arn"].startswith(f"arn:aws:lambda:eu-west-1:{ours}:") for row in rows)
    assert data["workload"]["accounts"][0] == ours
    cross = next(r for r in rows if r["check_id"] == "lambda.function_policy_cross_account")
    partner = cross["summary"].split("account ")[1].split()[0]
    assert partner != ours and partner.startswith("account-")
    assert cross["details"]["statement"]["Principal"]["AWS"] == f"arn:aws:iam::{partner}:root"


def test_html_keeps_its_stylesheet_and_the_hash_that_allows_it(review: Path) -> None:
    html = _report(review, "html", "--redact-account-ids")
    style = re.search(r"<style[^>]*>(.*?)</style>", html, re.DOTALL)
    assert style is not None
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
    assert f"sha256-{digest}" in html


def test_digests_and_longer_numbers_are_left_alone() -> None:
    digest = "123456789012" + "ab" * 26
    text = f"sha {digest} run 1234567890123 id {OURS} again {OURS} other {PARTNER}."
    masked = AccountMasker().text(text)
    assert masked == f"sha {digest} run 1234567890123 id account-1 again account-1 other account-2."
    as_json = redact_account_ids(json.dumps({"n": 123456789012, "s": OURS}), ReportFormat.JSON)
    assert json.loads(as_json) == {"n": 123456789012, "s": "account-1"}
