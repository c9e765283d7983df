"""`wa-review demo --headless`: the whole loop offline, run as a user would run it."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from wa_review.model.evidence import Status
from wa_review.model.evidence_file import load_evidence_file
from wa_review.questionnaires import sec2
from wa_review.watool.payload import AnswerPayload

PRACTICES = ("sec_sec_q2_a1", "sec_sec_q2_a4", "sec_sec_q2_a2", "sec_sec_q2_a3")


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    done = subprocess.run(
        [sys.executable, "-m", "wa_review", "demo", "--headless", "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Risk returned by the WA Tool" in done.stdout
    return out


def test_every_output_is_written(demo_dir: Path) -> None:
    for name in (
        "evidence.json",
        "review.yaml",
        "sec2-review.md",
        "sec2-review.html",
        "sec2-review.json",
    ):
        assert (demo_dir / name).stat().st_size > 0, name
    assert (demo_dir / "wa-tool-report.pdf").read_bytes().startswith(b"%PDF")


def test_html_names_every_practice(demo_dir: Path) -> None:
    html = (demo_dir / "sec2-review.html").read_text()
    for choice in sec2().choices:
        if choice.id in PRACTICES:
            assert choice.title in html, choice.title


def test_json_is_the_wa_tool_interchange(demo_dir: Path) -> None:
    data = json.loads((demo_dir / "sec2-review.json").read_text())
    payload = AnswerPayload.from_interchange(data)
    assert payload.lens_alias == "serverless" and payload.question_id == "sec_q2"
    assert {c.choice_id for c in payload.choices} >= set(PRACTICES)


def test_each_practice_has_passing_and_failing_evidence(demo_dir: Path) -> None:
    evidence = load_evidence_file(demo_dir / "evidence.json")
    choice_of = {check: c.id for c in sec2().choices for check in c.checks}  # the YAML maps them
    seen: dict[str, set[Status]] = defaultdict(set)
    for item in evidence.evidence:
        seen[choice_of[item.check_id]].add(item.status)
    for practice in PRACTICES:
        assert {Status.PASS, Status.FAIL} <= seen[practice], (practice, seen[practice])


def test_the_story_lands_where_it_should(demo_dir: Path) -> None:
    """A few findings a reader of the demo report will look for, resource by resource."""
    evidence = load_evidence_file(demo_dir / "evidence.json")
    found = {(e.check_id, e.resource_arn.rsplit(":", 1)[-1]): e.status for e in evidence.evidence}
    assert found[("lambda.function_url_auth_none", "flight-status")] is Status.FAIL
    assert found[("lambda.no_static_credentials", "collect-payment")] is Status.FAIL
    assert found[("lambda.no_static_credentials", "booking-api")] is Status.PASS
    assert found[("lambda.function_policy_apigw_scope", "booking-api")] is Status.PASS
    assert found[("lambda.function_policy_apigw_scope", "collect-payment")] is Status.FAIL
    # The old press-kit bucket is public through its ACL; the receipts bucket has ACLs disabled.
    assert found[("s3.bucket_acl", "airline-press-kit-123456789012")] is Status.FAIL
    assert found[("s3.bucket_acl", "airline-receipts-123456789012")] is Status.PASS
    secrets = ("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    for path in demo_dir.iterdir():
        if path.suffix != ".pdf":
            text = path.read_text()
            assert not any(secret in text for secret in secrets), path
