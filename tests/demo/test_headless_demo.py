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
def demo_run(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    out = tmp_path_factory.mktemp("demo")
    done = subprocess.run(
        [sys.executable, "-m", "wa_review", "demo", "--headless", "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Risk returned by the WA Tool" in done.stdout
    return out, done


@pytest.fixture(scope="module")
def demo_dir(demo_run: tuple[Path, subprocess.CompletedProcess[str]]) -> Path:
    return demo_run[0]


def test_the_demo_collects_like_a_real_account(demo_dir: Path) -> None:
    """No collection error: the APIs moto lacks are served by the demo itself."""
    evidence = load_evidence_file(demo_dir / "evidence.json")
    assert evidence.errors == ()
    assert evidence.stats.errors == 0
    assert not [e for e in evidence.evidence if e.status is Status.UNKNOWN]


def test_no_emulator_chatter_reaches_the_reviewer(
    demo_run: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    output = demo_run[1].stdout + demo_run[1].stderr
    for chatter in ("urls.py", "update_backend_index", "appropriate backend", "Traceback"):
        assert chatter not in output, chatter
    assert "collection error" not in output


def test_the_extra_apis_tell_the_airline_story(demo_dir: Path) -> None:
    """Access Analyzer, DNS Firewall and WAF's resource list answer with the airline's data."""
    evidence = load_evidence_file(demo_dir / "evidence.json")
    by_check: dict[str, list[tuple[Status, str]]] = defaultdict(list)
    for e in evidence.evidence:
        by_check[e.check_id].append((e.status, e.resource_arn))
    assert by_check["accessanalyzer.findings"] == [
        (
            Status.FAIL,
            "arn:aws:access-analyzer:us-east-1:123456789012:analyzer/airline-account-analyzer",
        )
    ]
    waf = {arn.rsplit("/", 1)[-1]: status for status, arn in by_check["apigateway.stage_waf"]}
    assert waf["prod"] is Status.PASS and waf["dev"] is Status.FAIL
    egress = sorted(status.value for status, _ in by_check["network.egress_filtering"])
    assert egress == ["pass", "warn"]  # the airline VPC's allow-list; the legacy VPC has none


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
