"""The benchmark still runs end to end (tiny sizes; it asserts structure, never timings)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from bench.floor import family_floors, quota_floor
from bench.proxy import Call, classify, start_proxy, throttle_response
from bench.run import main
from wa_review.aws.ratelimit import Quota, RateLimits


@pytest.mark.server
def test_smoke_run_fills_every_part_of_the_results(tmp_path: Path) -> None:
    out, raw = tmp_path / "RESULTS.md", tmp_path / "results.json"
    results = main(["--smoke", "--out", str(out), "--json", str(raw)])

    (size,) = results.sizes
    assert size.functions == 4 and size.account["functions"] == 4
    for run in (size.moto_direct, size.limited.run):
        assert run.calls["lambda:ListFunctions"] >= 1
        assert run.calls["lambda:GetPolicy"] >= 4  # one per function at least
        assert run.evidence > 0 and run.peak_rss_mb > 0
        assert set(run.finished) >= {"lambda", "ec2", "apigateway", "sqs"}
    limited = size.limited
    assert limited.forwarded["lambda:GetPolicy"] >= 4  # the proxy saw the calls
    assert limited.floor > 0 and limited.ratio > 0
    assert limited.families[0]["family"].startswith(("lambda", "apigateway", "ec2"))
    assert size.unlimited is not None and size.unlimited.run.evidence > 0
    assert size.standard is not None and size.standard.run.evidence > 0

    assert set(results.report["formats"]) == {"md", "html", "json"}
    assert all(row["bytes"] > 0 for row in results.report["formats"].values())
    assert results.tui.get("rows") == 100 or "skipped" in results.tui

    text = out.read_text()
    assert "wall/floor" in text and "### 4 functions" in text and "## Method" in text
    assert json.loads(raw.read_text())["sizes"][0]["functions"] == 4


def test_floor_is_the_slowest_quota_family() -> None:
    calls = {"lambda:ListAliases": 30, "lambda:GetPolicy": 15, "ec2:DescribeVpcs": 40, "sqs:X": 9}
    floors = {f.family: f.seconds for f in family_floors(calls)}
    assert floors == {"lambda:*": 2.0, "lambda:GetPolicy": 1.0, "ec2:Describe*": 2.0}
    assert quota_floor(calls) == 2.0
    assert quota_floor({"sqs:ListQueues": 5}) == 0.0


@pytest.mark.parametrize(
    ("method", "path", "headers", "body", "expected"),
    [
        ("GET", "/2015-03-31/functions/f/policy", {}, b"", ("lambda", "GetPolicy", "rest-json")),
        ("GET", "/2015-03-31/functions/f", {}, b"", ("lambda", "GetFunction", "rest-json")),
        ("GET", "/2015-03-31/functions/f/aliases", {}, b"", ("lambda", "GET", "rest-json")),
        (
            "POST",
            "/",
            {"Content-Type": "application/x-www-form-urlencoded"},
            b"Action=DescribeVpcs&Version=2016-11-15",
            ("ec2", "DescribeVpcs", "ec2"),
        ),
        (
            "POST",
            "/",
            {"X-Amz-Target": "DynamoDB_20120810.DescribeTable"},
            b"{}",
            ("dynamodb", "DescribeTable", "json"),
        ),
        ("GET", "/restapis/abc/resources", {}, b"", ("apigateway", "GetResources", "rest-json")),
    ],
)
def test_the_proxy_knows_each_calls_service_and_operation(
    method: str, path: str, headers: dict[str, str], body: bytes, expected: tuple[str, str, str]
) -> None:
    service = expected[0]
    signed = {
        "Authorization": "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/"
        f"{service}/aws4_request, SignedHeaders=host, Signature=x",
        **headers,
    }
    call = classify(method, path, signed, body)
    assert (call.service, call.operation, call.protocol) == expected
    assert call.region == "us-east-1"


@pytest.mark.parametrize(
    ("protocol", "status", "code"),
    [
        ("rest-json", 429, b"TooManyRequestsException"),
        ("json", 400, b"ThrottlingException"),
        ("ec2", 503, b"RequestLimitExceeded"),
        ("query", 400, b"<Code>Throttling</Code>"),
    ],
)
def test_throttles_are_answered_in_each_protocols_words(
    protocol: str, status: int, code: bytes
) -> None:
    answer_status, headers, body = throttle_response(Call("svc", "us-east-1", "Op", protocol))
    assert answer_status == status
    assert code in body or code.decode() in headers.values()


@pytest.mark.server
@pytest.mark.parametrize(
    ("service", "call", "code"),
    [
        ("lambda", lambda c: c.list_functions(), "TooManyRequestsException"),
        ("ec2", lambda c: c.describe_vpcs(), "RequestLimitExceeded"),
        ("sqs", lambda c: c.list_queues(), "ThrottlingException"),
        ("sns", lambda c: c.list_topics(), "Throttling"),
    ],
)
def test_botocore_reads_the_proxys_throttles_as_aws_codes(
    moto_url: str, service: str, call: Any, code: str
) -> None:
    """One token, never refilled: the second call is refused, in the service's own protocol."""
    limits = RateLimits({f"{service}:*": Quota(1e-6, burst=1)})
    proxy = start_proxy(moto_url, latency=0.0, limits=limits)
    try:
        client = boto3.Session(region_name="us-east-1").client(
            service, endpoint_url=proxy.url, config=Config(retries={"total_max_attempts": 1})
        )
        call(client)
        with pytest.raises(ClientError) as refused:
            call(client)
        assert refused.value.response["Error"]["Code"] == code
        assert proxy.state.stats()["throttled"] == {f"{service}:*": 1}
    finally:
        proxy.shutdown()
        proxy.server_close()
