"""`wa-review policy explain`: text and JSON output, stdin, and exit codes."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from policy_cases import APIGW_ESCAPED, APIGW_PRIVATE, ME, QUEUE, pol, st

from wa_review.cli import main

PUBLIC_SQS = pol(st("*", "sqs:SendMessage", QUEUE, sid="Open"))


@pytest.fixture
def policy_file(tmp_path: Path) -> Path:
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(PUBLIC_SQS))
    return path


def test_text_explains_in_sentences(policy_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["policy", "explain", str(policy_file), "--account", ME, "--type", "sqs"])
    out = capsys.readouterr().out
    assert "Most open: public" in out
    assert "send: public" in out
    assert "Statement 'Open' allows anyone" in out


def test_json_form(policy_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(
        [
            "policy",
            "explain",
            str(policy_file),
            "--account",
            ME,
            "--type",
            "sqs",
            "--format",
            "json",
        ]
    )
    data = json.loads(capsys.readouterr().out)
    assert data["most_open"] == "public"
    assert data["classes"] == ["public"]
    assert data["reasons"][0]["statement"] == "Open"
    assert data["reasons"][0]["class"] == "public"
    assert data["reasons"][0]["detail"].endswith(".")


def test_stdin_and_escaped_api_gateway_policy(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(APIGW_ESCAPED.encode())))
    main(["policy", "explain", "-", "--account", ME, "--type", "apigateway", "--format", "json"])
    assert json.loads(capsys.readouterr().out)["most_open"] == "network_restricted"


def test_org_and_trusted_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps(pol(st({"AWS": "444455556666"}, "sqs:SendMessage", QUEUE))))
    main(
        [
            "policy",
            "explain",
            str(path),
            "--account",
            ME,
            "--type",
            "sqs",
            "--trusted",
            "444455556666",
            "--org-id",
            "o-a1b2c3d4e5",
            "--format",
            "json",
        ]
    )
    assert json.loads(capsys.readouterr().out)["most_open"] == "account_only"


def test_unknown_verdict_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.json"
    path.write_text('{"Statement": "everyone"}')
    main(["policy", "explain", str(path), "--account", ME])
    assert "Most open: unknown" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "message"),
    [("this is not json", "not JSON"), ("[" * 100_000, "nested")],
)
def test_not_json_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(SystemExit) as exit_info:
        main(["policy", "explain", str(path), "--account", ME])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert str(path) in err and message in err


def test_unreadable_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["policy", "explain", str(tmp_path / "missing.json"), "--account", ME])
    assert exit_info.value.code == 2
    assert "Could not read" in capsys.readouterr().err


def test_bad_account_exits_2(policy_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["policy", "explain", str(policy_file), "--account", "1234"])
    assert exit_info.value.code == 2
    assert "12-digit" in capsys.readouterr().err


def test_installed_command_reads_stdin() -> None:
    exe = Path(sys.executable).parent / "wa-review"
    if not exe.exists():
        pytest.skip("wa-review is not installed in this environment")
    done = subprocess.run(
        [str(exe), "policy", "explain", "-", "--account", ME, "--type", "apigateway"],
        input=json.dumps(APIGW_PRIVATE),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Most open: network_restricted" in done.stdout
    bad = subprocess.run(
        [str(exe), "policy", "explain", "-", "--account", ME],
        input="nope",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert bad.returncode == 2
    assert "not JSON" in bad.stderr
