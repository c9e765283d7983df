"""Bad input on the command line: every command, a table of wrong values, never a traceback.

Each wrong value is refused when click parses it, with click's "Invalid value for '--x'" and
exit 2, before anything is read from AWS or written anywhere.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.hardening.conftest import cli_env
from wa_review.cli import main
from wa_review.review.session import Workload

NAME_MAX = Workload.model_fields["name"].metadata[1].max_length
LONG = "x" * 300

# (command line, the option the message must name); {f} is an existing file.
WRONG: list[tuple[list[str], str]] = [
    (["collect", "--region", "eu west 1"], "--region"),
    (["collect", "--region", "eu_west_1"], "--region"),
    (["collect", "--region", "us-east-1", "--region", "EU-WEST-1"], "--region"),
    (["collect", "--role-arn", "arn:aws:iam::12345:role/x"], "--role-arn"),
    (["collect", "--role-arn", "wa-review-readonly"], "--role-arn"),
    (["collect", "--endpoint-url", "localhost:5000"], "--endpoint-url"),
    (["collect", "--endpoint-url", "http://127.0.0.1:port"], "--endpoint-url"),
    (["collect", "--trusted-account", "1234"], "--trusted-account"),
    (["collect", "--org-id", "org-123"], "--org-id"),
    (["collect", "--tag", "novalue"], "--tag"),
    (["collect", "--quota", "lambda:GetPolicy=fast"], "--quota"),
    (["collect", "-o", "{f}/evidence.json"], "--output"),  # a file used as a folder
    (["collect", "-o", "."], "--output"),
    (["review", "--region", "eu west 1"], "--region"),
    (["review", "--trusted-account", "abc"], "--trusted-account"),
    (["push", "{f}", "--workload-name", "Shop", "--region", "eu west 1"], "--region"),
    (["push", "{f}", "--workload-name", "ab"], "--workload-name"),
    (["push", "{f}", "--workload-id", "not-an-id"], "--workload-id"),
    (["push", "{f}", "--workload-name", "Shop", "--description", LONG], "--description"),
    (["push", "{f}", "--workload-name", "Shop", "--endpoint-url", "ftp://x"], "--endpoint-url"),
    (["push", "{f}", "--workload-name", "Shop", "--environment", "PROD"], "--environment"),
    (["assess", "{f}", "-o", "r.yaml", "--workload-name", "ab"], "--workload-name"),
    (["assess", "{f}", "-o", "r.yaml", "--workload-name", "w" * (NAME_MAX + 1)], "--workload-name"),
    (["assess", "{f}", "-o", "r.yaml", "--description", LONG], "--description"),
    (["assess", "{f}", "-o", "r.yaml", "--review-owner", LONG], "--review-owner"),
    (["assess", "{f}", "-o", "r.yaml", "--environment", "prod"], "--environment"),
    (["assess", "{f}", "-o", "r.yaml", "--question", "serverless/sec_q9"], "--question"),
    (["assess", "{f}", "-o", "r.yaml", "--question", "sec_q2"], "--question"),
    (["report", "{f}", "--format", "pdf"], "--format"),
]


@pytest.mark.parametrize(("args", "option"), WRONG, ids=[" ".join(a)[:60] for a, _ in WRONG])
def test_a_wrong_value_is_refused_naming_the_option(
    args: list[str],
    option: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    existing = tmp_path / "input.yaml"
    existing.write_text("{}\n", encoding="utf-8")
    argv = [a.replace("{f}", str(existing)) for a in args]
    with pytest.raises(SystemExit) as exited:
        main(argv)
    err = capsys.readouterr().err
    assert exited.value.code == 2, err
    assert f"Invalid value for '{option}'" in err, err
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["input.yaml"]  # nothing written


def test_the_workload_limits_in_the_help_are_the_models_own(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(["assess", "--help"])
    assert f"3-{NAME_MAX} characters" in capsys.readouterr().out


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    # Nothing may leave the machine: a call that gets through meets a closed port.
    env = cli_env(
        AWS_ACCESS_KEY_ID="x", AWS_SECRET_ACCESS_KEY="x", AWS_ENDPOINT_URL="http://127.0.0.1:9"
    )
    return subprocess.run(
        [sys.executable, "-m", "wa_review", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["collect", "--region", "eu_west_1", "-o", "e.json"], "Invalid value for '--region'"),
        (["collect", "--region", "us-east-9", "-o", "e.json"], "Could not reach AWS STS"),
        (["assess", "missing.json", "-o", "r.yaml"], "'missing.json' does not exist"),
        (["report", "missing.yaml", "--format", "md", "-o", "x.md"], "'missing.yaml' does not"),
        (["push", "missing.yaml", "--workload-name", "Shop"], "'missing.yaml' does not exist"),
    ],
)
def test_from_a_fresh_folder_a_mistake_is_a_message(
    args: list[str], says: str, tmp_path: Path
) -> None:
    done = _run(args, tmp_path)
    assert done.returncode != 0
    assert says in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert list(tmp_path.iterdir()) == []
