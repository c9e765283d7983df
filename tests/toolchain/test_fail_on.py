"""`--fail-on`: exit code 8 exactly when findings match, for `collect` (moto server) and parsing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.toolchain.conftest import build_account, collect, run_cli
from wa_review.errors import EXIT_FINDINGS
from wa_review.gates import FailOnError, parse_fail_on
from wa_review.model.evidence import Severity, Status

COLLECT_WORDS = ("fail", "warn", "unknown")


def test_words_combine_statuses_and_a_minimum_severity() -> None:
    gate = parse_fail_on(["fail,unknown", "severity>=high"], allowed=COLLECT_WORDS)
    assert gate.statuses == {Status.FAIL, Status.UNKNOWN}
    assert gate.min_severity is Severity.HIGH
    assert gate.admits(Status.FAIL, Severity.CRITICAL)
    assert not gate.admits(Status.FAIL, Severity.MEDIUM)
    assert not gate.admits(Status.WARN, Severity.CRITICAL)
    # A severity alone looks at failures and warnings.
    alone = parse_fail_on(["severity>=medium"], allowed=COLLECT_WORDS)
    assert alone.statuses == {Status.FAIL, Status.WARN}
    assert alone.admits(Status.WARN, Severity.MEDIUM) and not alone.admits(Status.PASS, None)


@pytest.mark.parametrize(
    ("words", "message"),
    [
        (
            ["fial"],
            "'fial' is not a --fail-on value here: use fail, unknown, warn, severity>=LEVEL",
        ),
        (["severity>=urgent"], "unknown severity 'urgent'"),
        (["severity>=high,severity>=low"], "give one minimum severity"),
        (["new"], "'new' is not a --fail-on value here"),
        ([","], "give one of: fail, unknown, warn"),
    ],
)
def test_bad_words_are_refused_by_name(words: list[str], message: str) -> None:
    with pytest.raises(FailOnError, match=message.replace("(", r"\(")):
        parse_fail_on(words, allowed=COLLECT_WORDS)


@pytest.mark.server
def test_collect_exit_codes_for_each_gate(
    moto_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build_account(moto_url)
    out = tmp_path / "e.json"
    code, _, err = run_cli(collect(moto_url, out), capsys)
    assert code == 0, err  # without --fail-on nothing changes
    statuses = {e["status"] for e in json.loads(out.read_text())["evidence"]}
    assert {"fail", "warn", "unknown"} <= statuses, statuses
    for gate in ("fail", "warn", "unknown", "severity>=critical", "fail,severity>=high"):
        out.unlink()
        code, _, err = run_cli(collect(moto_url, out, "--fail-on", gate), capsys)
        assert code == EXIT_FINDINGS, (gate, err)
        assert "--fail-on matched" in err
        assert out.exists()  # the evidence is written before the gate closes


@pytest.mark.server
def test_collect_gate_stays_open_when_nothing_matches(
    moto_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "e.json"
    code, _, err = run_cli(collect(moto_url, out, "--fail-on", "fail"), capsys)
    statuses = {e["status"] for e in json.loads(out.read_text())["evidence"]}
    assert "fail" not in statuses and "warn" in statuses, statuses  # an empty account
    assert code == 0, err


def test_collect_refuses_a_bad_gate_before_collecting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "e.json"
    code, _, err = run_cli(collect("http://127.0.0.1:9", out, "--fail-on", "severe"), capsys)
    assert code == 2
    assert "Invalid value for '--fail-on': 'severe' is not a --fail-on value here" in err
    assert not out.exists()
