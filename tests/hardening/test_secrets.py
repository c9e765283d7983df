"""No credential, session token or environment-variable value reaches evidence, logs or reports.

Values are planted in the collecting process's AWS credentials and environment and in a Lambda
function's environment variables; then collect -> assess -> report (md, html, json) -> push to
the WA Tool emulator runs, and every file written, both output streams, every log record of
wa-review (at DEBUG) and every record of any library at INFO and above are searched for them.

botocore's own DEBUG records are left out of the search: they echo the signed request and the
raw responses by design, and wa-review never turns them on.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from tests.aws.fixtures.common import execution_role, function
from wa_review.cli import main
from wa_review.watool.emulator import WaToolEmulator

KEY_ID = "AKIAPLANTEDKEY7Q3XW2"
SECRET = "pLaNtEd/SeCrEt+kEy0123456789abcdefGHIJKL"  # 40 characters, like a real one
TOKEN = "IQoJb3JpZ2luX2VjEPLANTEDSESSIONTOKEN" + "Zq9" * 40
ENV_VALUE = "planted-env-value-5b1d0c"
FN_SECRET = "FnSeCrEtKeY/planted+0123456789abcdefGHIJ"  # 40 characters
FN_PASSWORD = "planted-db-password-91f3"
FN_TOKEN = "planted-api-token-c7a2e0"
PLANTED = (KEY_ID, SECRET, TOKEN, ENV_VALUE, FN_SECRET, FN_PASSWORD, FN_TOKEN)


@pytest.fixture
def account(moto_url: str) -> str:
    """One function whose environment holds a key, a password and a token."""
    session = boto3.Session(
        aws_access_key_id="builder", aws_secret_access_key="builder", region_name="us-east-1"
    )
    endpoint = _Endpoint(session, moto_url)
    role = execution_role(endpoint, "leaky-role")
    variables = {
        "AWS_ACCESS_KEY_ID": "AKIAFUNCTIONKEY00001",
        "AWS_SECRET_ACCESS_KEY": FN_SECRET,
        "DB_PASSWORD": FN_PASSWORD,
        "API_TOKEN": FN_TOKEN,
    }
    function(endpoint, "leaky-fn", role, Environment={"Variables": variables})
    return moto_url


@pytest.fixture
def wa_tool() -> Iterator[WaToolEmulator]:
    with WaToolEmulator() as emulator:
        yield emulator


def test_planted_secrets_appear_nowhere(
    account: str,
    wa_tool: WaToolEmulator,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY_ID)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", TOKEN)
    monkeypatch.setenv("WA_REVIEW_PLANTED", ENV_VALUE)
    monkeypatch.chdir(tmp_path)
    caplog.set_level(logging.DEBUG)
    evidence, review = tmp_path / "evidence.json", tmp_path / "review.yaml"
    commands = [
        ["collect", "--endpoint-url", account, "--region", "us-east-1", "-o", str(evidence)],
        ["assess", str(evidence), "-o", str(review), "--review-owner", "alice@example.com"],
        *(
            ["report", str(review), "--format", fmt, "-o", str(tmp_path / f"report.{fmt}")]
            for fmt in ("md", "html", "json", "lens")
        ),
        [
            "push", str(review), "--workload-name", "Leaky", "--create",
            "--environment", "PRODUCTION", "--review-owner", "alice@example.com",
            "--description", "Planted secrets", "--endpoint-url", wa_tool.url,
            "--region", "us-east-1", "--yes", "--pdf", str(tmp_path / "wa.pdf"),
        ],
    ]  # fmt: skip
    streams = []
    for args in commands:
        try:
            main(args)
        except SystemExit as stop:
            assert not stop.code, (args, capsys.readouterr().err)
        out = capsys.readouterr()
        streams.append(out.out + out.err)

    # The run worked: the function's keys were found, by name, and the answer was pushed.
    data = json.loads(evidence.read_text(encoding="utf-8"))
    found = [e for e in data["evidence"] if e["check_id"] == "lambda.no_static_credentials"]
    assert any(e["status"] == "fail" and "AWS_SECRET_ACCESS_KEY" in e["summary"] for e in found)
    assert any(r.operation == "UpdateAnswer" and r.status == 200 for r in wa_tool.requests)

    files = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    assert {"evidence.json", "review.yaml", "report.md", "report.html", "wa.pdf"} <= {
        p.name for p in files
    }
    ours = [r for r in caplog.records if r.name.startswith("wa_review")]
    theirs = [r for r in caplog.records if not r.name.startswith("wa_review")]
    texts = {
        **{f"file {p.name}": p.read_bytes().decode("utf-8", "replace") for p in files},
        **{f"stream of {c[0]}": s for c, s in zip(commands, streams, strict=True)},
        "wa-review logs": "\n".join(_record_text(r) for r in ours),
        "library logs (INFO+)": "\n".join(
            _record_text(r) for r in theirs if r.levelno >= logging.INFO
        ),
        "WA Tool requests": json.dumps([dict(r.params) for r in wa_tool.requests]),
    }
    # The plant took: the collecting process really signed with the planted credentials.
    wire = "\n".join(_record_text(r) for r in theirs if r.levelno < logging.INFO)
    assert TOKEN in wire and KEY_ID in wire
    leaks = {where: [v for v in PLANTED if v in text] for where, text in texts.items()}
    assert {where: found for where, found in leaks.items() if found} == {}


def _record_text(record: logging.LogRecord) -> str:
    return f"{record.getMessage()} {record.args!r} {record.exc_text or ''}"


class _Endpoint:
    """A boto3 Session stand-in whose clients all talk to the moto server (unguarded: it builds)."""

    def __init__(self, session: boto3.Session, url: str) -> None:
        self._session, self._url = session, url

    def client(self, name: str, **kwargs: object) -> object:
        return self._session.client(name, endpoint_url=self._url, **kwargs)  # type: ignore[call-overload]
