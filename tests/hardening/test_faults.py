"""Faults on the wire: throttling and 5xx change nothing; stalls, denials and Regions that are
off become UNKNOWN evidence that says why, and the report lists everything not checked.

The sample airline is built once on a moto server; collections reach it directly (the clean
run) or through the fault-injecting proxy in tests/hardening/fault_proxy.py.
"""

from __future__ import annotations

import json
import logging
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.hardening.conftest import cli_env, collect_evidence, demo_context, keys
from tests.hardening.fault_proxy import (
    Fault,
    FaultProxy,
    Request,
    cut_short,
    denied_for,
    region_off_for,
    reset_mid_body,
    server_error,
    stall_mid_body,
)
from wa_review.aws.run import InventorySoFar, collect_inventory
from wa_review.checks import CheckMeta, RegisteredCheck, all_checks
from wa_review.demo.headless import suggested_session
from wa_review.demo.server import DemoAccount
from wa_review.errors import EXIT_INTERRUPTED
from wa_review.model.evidence import Evidence, Severity, Status
from wa_review.model.inventory import AccountInventory, CheckConfig
from wa_review.model.snapshots.sqs import SqsSnapshot
from wa_review.pipeline import build_evidence_file, run_checks
from wa_review.preview import PreviewChecks
from wa_review.questionnaires import sec2
from wa_review.report.render import render

REGION = "us-east-1"
OFF_REGION = "ap-east-1"  # an opt-in Region: its calls fail until the account enables it
FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:"
PROTOCOL_THROTTLES = {
    "TooManyRequestsException",  # REST-JSON: Lambda, API Gateway
    "ThrottlingException",  # JSON: DynamoDB, WAFv2, Organizations...
    "Throttling",  # query: IAM, SNS
    "RequestLimitExceeded",  # EC2
    "SlowDown",  # S3
}


def _url_free(text: str) -> str:
    return re.sub(r"http://127\.0\.0\.1:\d+", "<endpoint>", text)


def test_throttling_and_server_errors_leave_the_evidence_as_a_clean_run_has_it(
    demo_account: DemoAccount, no_backoff: None
) -> None:
    clean_run, clean = collect_evidence(demo_account, demo_context(demo_account))
    with FaultProxy(demo_account.url, seed=20240611, throttle=0.30, server_errors=0.05) as proxy:
        ctx = demo_context(demo_account, endpoint_url=proxy.url, max_attempts=15)
        faulty_run, faulty = collect_evidence(demo_account, ctx)

    assert keys(faulty) == keys(clean)
    # Summaries too (the only difference allowed is the endpoint named by 'API unavailable').
    assert {(e.check_id, e.resource_arn, _url_free(e.summary)) for e in faulty} == {
        (e.check_id, e.resource_arn, _url_free(e.summary)) for e in clean
    }
    assert {(e.operation, e.code, e.resource) for e in faulty_run.errors} == {
        (e.operation, e.code, e.resource) for e in clean_run.errors
    }
    # The faults really happened, in every protocol's own words, and were retried.
    assert set(proxy.stats.faults) >= PROTOCOL_THROTTLES
    assert proxy.stats.faults["InternalError"] + proxy.stats.faults["ServiceUnavailable"] > 0
    injected = sum(proxy.stats.faults.values())
    assert injected > 0.25 * (injected + proxy.stats.forwarded)
    # The evidence file's 'throttled' count shows them (retries of a call that failed in the
    # end are not counted, so it may fall a little short).
    assert injected // 2 <= faulty_run.retries <= injected


def test_a_stalled_service_and_a_stalled_resource_are_unknown_with_the_reason(
    demo_account: DemoAccount, no_backoff: None
) -> None:
    def stall(request: Request) -> Fault | None:
        slow_sqs = request.service == "sqs"
        slow_policy = request.path.endswith("/functions/flight-status/policy")
        if slow_sqs or slow_policy:
            return Fault(200, "", "", delay=1.5, forward_after_delay=True)
        return None

    with FaultProxy(demo_account.url, rules=(stall,)) as proxy:
        ctx = demo_context(demo_account, endpoint_url=proxy.url, read_timeout=0.3, max_attempts=2)
        collection, evidence = collect_evidence(demo_account, ctx)

    sqs = [e for e in evidence if e.check_id.startswith("sqs.")]
    assert sqs and {e.status for e in sqs} == {Status.UNKNOWN}
    for item in sqs:
        assert item.summary.endswith(": ReadTimeout")
        assert item.details["error"]["operation"] == "ListQueues"
        assert "no answer within 0.3 s, 2 attempts" in item.details["error"]["message"]
    stalled_policy = [
        e
        for e in evidence
        if e.resource_arn == FUNCTION + "flight-status"
        and e.check_id.startswith("lambda.function_policy")
    ]
    assert stalled_policy and {e.status for e in stalled_policy} == {Status.UNKNOWN}
    for item in stalled_policy:
        assert item.summary.endswith(": ReadTimeout")
        assert item.details["error"]["operation"] == "GetPolicy"
    # Only that function: its neighbours were judged.
    booking = [e for e in evidence if e.resource_arn == FUNCTION + "booking-api"]
    assert booking and Status.UNKNOWN not in {e.status for e in booking}
    stalled = {(e.operation, e.resource) for e in collection.errors}
    assert ("ListQueues", "") in stalled
    assert ("GetPolicy", FUNCTION + "flight-status") in stalled


def _denials(request: Request) -> Fault | None:
    if request.region == OFF_REGION:
        return region_off_for(request.service)
    if request.service == "sns":
        return denied_for("sns", "User is not authorized to perform: sns:ListTopics")
    if request.path.endswith("/functions/render-receipt/policy"):
        return denied_for("lambda", "User is not authorized to perform: lambda:GetPolicy")
    if request.service == "access-analyzer":  # an endpoint without the API, as moto alone is
        return Fault(501, "NotImplemented", "The operation has not been implemented")
    return None


def test_denials_and_a_region_that_is_off_are_listed_in_the_report(
    demo_account: DemoAccount, tmp_path: Path
) -> None:
    with FaultProxy(demo_account.url, rules=(_denials,)) as proxy:
        ctx = demo_context(demo_account, endpoint_url=proxy.url, regions=(REGION, OFF_REGION))
        collection, evidence = collect_evidence(demo_account, ctx)
    result = build_evidence_file(collection, evidence)

    # AccessDenied on a whole service: UNKNOWN for its checks, no pass.
    sns = [e for e in evidence if e.check_id.startswith("sns.") and e.region == REGION]
    assert sns and {e.status for e in sns} == {Status.UNKNOWN}
    # AccessDenied on one function's policy: UNKNOWN for exactly that function.
    receipt = FUNCTION + "render-receipt"
    public = {
        e.resource_arn: e.status
        for e in evidence
        if e.check_id == "lambda.function_policy_public" and e.region == REGION
    }
    assert public[receipt] is Status.UNKNOWN
    assert [arn for arn, status in public.items() if status is Status.UNKNOWN] == [receipt]
    # A Region that is not enabled: every regional check there is UNKNOWN and says so.
    off = [e for e in evidence if e.region == OFF_REGION]
    assert off and {e.status for e in off} == {Status.UNKNOWN}
    off_errors = [e for e in collection.errors if e.region == OFF_REGION]
    assert off_errors and all("may not be enabled" in e.message for e in off_errors)

    result.save(tmp_path / "evidence.json")
    session = suggested_session(result, tmp_path / "evidence.json", tmp_path / "review.yaml")
    markdown = render(session, sec2(), result, fmt="md")
    html = render(session, sec2(), result, fmt="html")
    appendix = markdown.split("### What could not be checked", 1)[1]
    assert "AccessDenied" in appendix and "sns:ListTopics" in appendix
    assert receipt in appendix and "lambda:GetPolicy" in appendix
    assert f"region {OFF_REGION} may not be enabled" in appendix
    # An API the endpoint lacks (Access Analyzer, through the proxy) is said plainly.
    assert "does not offer ListAnalyzers" in appendix
    for needle in ("sns:ListTopics", receipt, f"region {OFF_REGION} may not be enabled"):
        assert needle in html
    # Every UNKNOWN piece of evidence has a row in the appendix.
    for item in (e for e in evidence if e.status is Status.UNKNOWN):
        assert item.check_id.replace("_", "\\_") in appendix or item.check_id in appendix


def _once_each(fault: Fault) -> Callable[[Request], Fault | None]:
    """`fault` for the first attempt of every distinct request; its retry goes through."""
    seen: set[tuple[str, str, str, bytes]] = set()
    lock = threading.Lock()

    def rule(request: Request) -> Fault | None:
        key = (request.service, request.path, request.target, request.body)
        with lock:
            if key in seen:
                return None
            seen.add(key)
        return fault

    return rule


def test_answers_cut_short_or_reset_once_are_retried_and_change_nothing(
    demo_account: DemoAccount, no_backoff: None
) -> None:
    clean_run, clean = collect_evidence(demo_account, demo_context(demo_account))
    for fault in (cut_short(0.6), reset_mid_body(0.5)):
        with FaultProxy(demo_account.url, rules=(_once_each(fault),)) as proxy:
            ctx = demo_context(demo_account, endpoint_url=proxy.url, max_attempts=3)
            faulty_run, faulty = collect_evidence(demo_account, ctx)
        assert proxy.stats.faults[""] > 50  # every first attempt was broken
        assert keys(faulty) == keys(clean)
        assert {(e.operation, e.code) for e in faulty_run.errors} == {
            (e.operation, e.code) for e in clean_run.errors
        }


def _broken_for_good(request: Request) -> Fault | None:
    if request.service == "sqs":  # JSON
        return cut_short(0.5)
    if request.service == "sns":  # query XML
        return cut_short(0.7)
    if request.service == "ec2" and request.target == "DescribeVpcs":  # EC2 XML
        return cut_short(0.4)
    if request.path.endswith("/functions/flight-status/policy"):
        return reset_mid_body(0.5)
    if request.service == "events":
        return stall_mid_body(5.0)  # longer than the read timeout below
    if request.service == "dynamodb":
        return server_error("dynamodb")
    return None


BROKEN = ("sqs.", "sns.", "events.", "dynamodb.")


def test_answers_that_stay_cut_reset_stalled_or_500_are_unknown_and_the_rest_is_judged(
    demo_account: DemoAccount, no_backoff: None, tmp_path: Path
) -> None:
    _, clean = collect_evidence(demo_account, demo_context(demo_account))
    with FaultProxy(demo_account.url, rules=(_broken_for_good,)) as proxy:
        # A read timeout long enough that a slow (loaded) moto server is not taken for a stall.
        ctx = demo_context(demo_account, endpoint_url=proxy.url, max_attempts=2, read_timeout=2.0)
        collection, evidence = collect_evidence(demo_account, ctx)

    def reason(prefix: str) -> set[str]:
        found = [e for e in evidence if e.check_id.startswith(prefix)]
        assert found and {e.status for e in found} == {Status.UNKNOWN}, prefix
        return {e.details["error"]["code"] for e in found}

    assert reason("sqs.") == {"IncompleteAnswer"}  # a JSON body cut short
    assert reason("sns.") == {"IncompleteAnswer"}  # an XML body cut short
    assert reason("events.") == {"ReadTimeout"}  # stalled in the middle of the body
    assert reason("dynamodb.") == {"InternalError"}  # 500 every time
    cut = [e for e in collection.errors if e.code == "IncompleteAnswer"]
    assert {e.operation for e in cut} >= {"ListQueues", "ListTopics", "DescribeVpcs"}
    assert all("ended mid-way" in e.message for e in cut)
    # The connection reset on one function's policy: UNKNOWN for that function only.
    reset = [
        e
        for e in evidence
        if e.resource_arn == FUNCTION + "flight-status"
        and e.check_id == "lambda.function_policy_public"
    ]
    assert [e.status for e in reset] == [Status.UNKNOWN]
    assert reset[0].details["error"]["operation"] == "GetPolicy"
    # Whether the client library notices the reset or only the short body depends on timing;
    # either way it is named.
    assert reset[0].details["error"]["code"] in {"ConnectionClosedError", "IncompleteAnswer"}
    # Everything the broken services are not about is judged as in a clean run.
    untouched = {
        k
        for k in keys(clean)
        if not k[0].startswith(BROKEN)
        and not k[0].startswith(("ec2.", "vpc.", "network.", "lambda."))
    }
    assert untouched and untouched <= keys(evidence)
    lambda_judged = {
        k
        for k in keys(clean)
        if k[0].startswith("lambda.function_policy") and not k[1].endswith(":flight-status")
    }
    assert lambda_judged and lambda_judged <= keys(evidence)
    # And the evidence file is written with all of it.
    result = build_evidence_file(collection, evidence)
    result.save(tmp_path / "evidence.json")
    assert len(result.evidence) == len(evidence) and result.stats.errors == len(collection.errors)


def _odd_functions(request: Request) -> Fault | None:
    # ListFunctions answers valid JSON in which a function has no name or ARN.
    if request.service == "lambda" and request.path.split("?")[0].rstrip("/").endswith(
        "/2015-03-31/functions"
    ):
        return Fault(200, "", "", body=b'{"Functions": [{"Runtime": "python3.12"}]}')
    return None


def _exploding_check() -> RegisteredCheck:
    meta = CheckMeta("test.explodes", "Explodes", Severity.LOW, "sqs", "why", "fix")

    def run(inventory: AccountInventory, config: CheckConfig) -> list[Evidence]:
        for _region, _queues in inventory.each(SqsSnapshot):
            raise KeyError("QueueArn")  # a shape the check did not expect
        return []

    return RegisteredCheck(meta, run)


def test_a_collector_or_a_check_that_raises_gives_unknown_and_the_rest_is_judged(
    demo_account: DemoAccount, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="wa_review")
    _, clean = collect_evidence(demo_account, demo_context(demo_account))
    with FaultProxy(demo_account.url, rules=(_odd_functions,)) as proxy:
        collection = collect_inventory(demo_context(demo_account, endpoint_url=proxy.url))
    config = CheckConfig(org_id=demo_account.names.get("org_id"))
    checks = [*all_checks(), _exploding_check()]
    evidence = run_checks(collection, config, checks=checks)

    # The Lambda collector met a shape it did not expect: its checks are UNKNOWN, and say so.
    lam = [e for e in evidence if e.check_id == "lambda.function_policy_public"]
    assert [e.status for e in lam] == [Status.UNKNOWN]
    assert lam[0].details["error"]["code"] == "CollectorFailed"
    assert "KeyError" in lam[0].details["error"]["message"]
    assert any(e.code == "CollectorFailed" for e in collection.errors)
    # The check that raised: UNKNOWN, naming the check and the error.
    (boom,) = [e for e in evidence if e.check_id == "test.explodes"]
    assert boom.status is Status.UNKNOWN
    assert "test.explodes" in boom.summary and "KeyError" in boom.summary
    # Both tracebacks went to the log.
    logged = [r for r in caplog.records if r.exc_info]
    assert {r.getMessage().split()[1] for r in logged} >= {"lambda", "test.explodes"}
    # Every other service is judged as in a clean run.
    others = {k for k in keys(clean) if k[0].startswith(("sqs.", "sns.", "s3.", "dynamodb."))}
    assert others and others <= keys(evidence)
    # The TUI's early preview gives the same answer for the check that raised.
    preview = PreviewChecks(config, checks=[_exploding_check()])
    so_far = InventorySoFar(
        collection.inventories,
        {i.account: frozenset({SqsSnapshot}) for i in collection.inventories},
    )
    assert [e.summary for e in preview.advance(so_far).evidence] == [boom.summary]


def _collect_process(proxy_url: str, out: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "wa_review",
            "collect",
            "--endpoint-url",
            proxy_url,
            "--region",
            REGION,
            "-o",
            str(out),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(),
        cwd=out.parent,
    )


def test_ctrl_c_stops_a_slow_collection_at_once_and_saves_nothing(
    demo_account: DemoAccount, tmp_path: Path
) -> None:
    # Every Lambda call hangs for a minute: without abandoning calls in flight, the
    # collection could not end before they do.
    def slow_lambda(request: Request) -> Fault | None:
        if request.service == "lambda":
            return Fault(200, "", "", delay=60, forward_after_delay=True)
        return None

    out = tmp_path / "evidence.json"
    with FaultProxy(demo_account.url, rules=(slow_lambda,)) as proxy:
        process = _collect_process(proxy.url, out)
        assert process.stderr is not None
        lines: list[str] = []
        # A service has finished (a progress line) while Lambda's calls are in flight.
        for line in process.stderr:
            lines.append(line)
            if line.startswith("  ") and " done " in line:
                break
        assert process.poll() is None, "".join(lines)
        process.send_signal(signal.SIGINT)
        stopped = time.monotonic()
        rest = process.communicate(timeout=30)
        took = time.monotonic() - stopped
    stderr = "".join(lines) + rest[1]
    assert process.returncode == EXIT_INTERRUPTED, stderr
    assert "nothing was saved" in stderr
    assert "Traceback" not in stderr + rest[0]
    assert took < 10, f"stopped {took:.1f}s after Ctrl-C"  # the calls in flight hang for 60 s
    assert list(tmp_path.iterdir()) == []  # no evidence file, not even a temporary one


def test_collect_through_broken_services_writes_the_evidence_it_has_without_a_traceback(
    demo_account: DemoAccount, tmp_path: Path
) -> None:
    out = tmp_path / "evidence.json"
    with FaultProxy(demo_account.url, rules=(_odd_functions, _broken_for_good)) as proxy:
        process = _collect_process(proxy.url, out)
        stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    assert "Traceback" not in stdout + stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    status = {}
    for item in data["evidence"]:
        status.setdefault(item["check_id"].split(".")[0], set()).add(item["status"])
    for broken in ("lambda", "sqs", "sns", "dynamodb"):
        assert status[broken] == {"unknown"}, broken
    assert {"pass", "fail"} <= status["s3"] | status["apigateway"]
    codes = {e["code"] for e in data["errors"]}
    assert {"CollectorFailed", "IncompleteAnswer", "InternalError"} <= codes
