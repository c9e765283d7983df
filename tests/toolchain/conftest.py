"""Two real collections from a moto server with a change in between, shared by the diff tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest

from tests.aws.fixtures import lambda_account, resource_policy_account
from tests.aws.fixtures.resource_policy_account import allow, policy
from tests.aws.test_collect_cli import _Endpoint
from tests.conftest import ACCOUNT, REGION
from wa_review.cli import main


@dataclass(frozen=True)
class Collections:
    old: Path
    new: Path
    url: str


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """The real CLI entry point in this process: (exit code, stdout, stderr)."""
    try:
        result = main(args)
        code = result if isinstance(result, int) else 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    out = capsys.readouterr()
    return code, out.out, out.err


def collect(url: str, output: Path, *extra: str) -> list[str]:
    return ["collect", "--endpoint-url", url, "--region", REGION, "-q", "-o", str(output), *extra]


def endpoint(url: str) -> _Endpoint:
    session = boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION
    )
    return _Endpoint(session, url)


def build_account(url: str) -> None:
    aws = endpoint(url)
    lambda_account.build(aws)
    resource_policy_account.queues(aws)
    resource_policy_account.buckets(aws)


def change_account(url: str) -> None:
    """A queue made public, a function URL's auth turned off, a (public) bucket deleted, and
    one fix: the public queue's policy removed."""
    aws = endpoint(url)
    sqs = aws.client("sqs")
    fixed = sqs.get_queue_url(QueueName="public-queue")["QueueUrl"]  # type: ignore[attr-defined]
    sqs.set_queue_attributes(QueueUrl=fixed, Attributes={"Policy": ""})  # type: ignore[attr-defined]
    queue = sqs.get_queue_url(QueueName="orders-queue")["QueueUrl"]  # type: ignore[attr-defined]
    arn = f"arn:aws:sqs:{REGION}:{ACCOUNT}:orders-queue"
    sqs.set_queue_attributes(  # type: ignore[attr-defined]
        QueueUrl=queue, Attributes={"Policy": policy(allow("*", "sqs:SendMessage", arn))}
    )
    aws.client("lambda").update_function_url_config(  # type: ignore[attr-defined]
        FunctionName="url-iam", AuthType="NONE"
    )
    s3 = aws.client("s3")
    s3.delete_bucket_policy(Bucket="public-bucket")  # type: ignore[attr-defined]
    s3.delete_bucket(Bucket="public-bucket")  # type: ignore[attr-defined]


@pytest.fixture
def collections(
    moto_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> Iterator[Collections]:
    build_account(moto_url)
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    code, _, err = run_cli(collect(moto_url, old), capsys)
    assert code == 0, err
    change_account(moto_url)
    code, _, err = run_cli(collect(moto_url, new), capsys)
    assert code == 0, err
    yield Collections(old, new, moto_url)
