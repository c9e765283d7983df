"""Faults on the wire: throttling and 5xx change nothing; stalls, denials and Regions that are
off become UNKNOWN evidence that says why, and the report lists everything not checked.

The sample airline is built once on a moto server; collections reach it directly (the clean
run) or through the fault-injecting proxy in tests/hardening/fault_proxy.py.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.hardening.conftest import collect_evidence, demo_context, keys
from tests.hardening.fault_proxy import (
    Fault,
    FaultProxy,
    Request,
    denied_for,
    region_off_for,
)
from wa_review.demo.headless import suggested_session
from wa_review.demo.server import DemoAccount
from wa_review.model.evidence import Status
from wa_review.pipeline import build_evidence_file
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
