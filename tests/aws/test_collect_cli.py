"""`wa-review collect` end to end: a real process against a moto server over loopback HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import boto3
import pytest

from tests.aws.fixtures import lambda_account

pytestmark = pytest.mark.server


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wa_review", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def _env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_ENDPOINT_URL=url,
    )
    return env


def test_collect_writes_the_evidence_file(moto_url: str, tmp_path: Path) -> None:
    session = boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
    )
    lambda_account.build(_Endpoint(session, moto_url))
    out = tmp_path / "evidence.json"
    done = _run(["collect", "--region", "us-east-1", "-o", str(out), "-q"], _env(moto_url))
    assert done.returncode == 0, done.stderr
    data = json.loads(out.read_text())
    assert data["schema_version"] == 1
    assert data["accounts"] == ["123456789012"]
    assert data["stats"]["calls"]["lambda:ListFunctions"] >= 1
    by = {
        (e["check_id"], e["resource_arn"].rsplit(":", 1)[-1]): e["status"] for e in data["evidence"]
    }
    assert by[("lambda.function_policy_public", "public-fn")] == "fail"
    assert by[("lambda.function_policy_public", "orders-api")] == "pass"
    assert by[("lambda.function_url_auth_none", "url-open")] == "fail"
    assert "lambda.function_policy_public" in done.stdout  # the summary table


def test_collect_without_credentials_says_what_to_do(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_EC2_METADATA_DISABLED="true",
        AWS_ENDPOINT_URL="http://127.0.0.1:9",
    )
    done = _run(["collect", "--region", "us-east-1", "-o", str(tmp_path / "e.json")], env)
    assert done.returncode == 3
    assert "No AWS credentials" in done.stderr and "wa-review demo" in done.stderr
    assert not (tmp_path / "e.json").exists()


class _Endpoint:
    """A boto3 Session stand-in whose clients all talk to the moto server."""

    def __init__(self, session: boto3.Session, url: str) -> None:
        self._session, self._url = session, url

    def client(self, name: str, **kwargs: object) -> object:
        return self._session.client(name, endpoint_url=self._url, **kwargs)  # type: ignore[call-overload]
