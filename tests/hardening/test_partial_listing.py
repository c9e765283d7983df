"""A listing that fails on page 3: the resources of pages 1 and 2 are judged, and the failure is
UNKNOWN evidence saying the inventory is incomplete (never a silent partial list).

230 SNS topics on a moto server (which answers ListTopics 100 at a time), reached through the
fault proxy, which answers the third page with HTTP 500 every time.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable

import boto3

from tests.hardening.fault_proxy import Fault, FaultProxy, Request, server_error
from wa_review.aws.context import AwsContext, AwsOptions
from wa_review.aws.ratelimit import RateLimits
from wa_review.aws.run import collect_inventory
from wa_review.model.evidence import Status
from wa_review.model.inventory import CheckConfig
from wa_review.pipeline import run_checks

REGION = "us-east-1"
TOPICS = 230
PUBLIC = "t007"  # on page 1


def _third_page_fails() -> tuple[list[bytes], Callable[[Request], Fault | None]]:
    tokens: list[bytes] = []
    lock = threading.Lock()

    def rule(request: Request) -> Fault | None:
        if request.service != "sns" or request.target != "ListTopics":
            return None
        token = next((p for p in request.body.split(b"&") if p.startswith(b"NextToken=")), None)
        if token is None:
            return None
        with lock:
            if token not in tokens:
                tokens.append(token)
            page = tokens.index(token) + 2
        return server_error("sns") if page == 3 else None

    return tokens, rule


def test_a_listing_that_fails_on_page_three_judges_what_it_listed_and_says_it_is_incomplete(
    moto_url: str,
) -> None:
    sns = boto3.client("sns", region_name=REGION, endpoint_url=moto_url)
    for i in range(TOPICS):
        arn = sns.create_topic(Name=f"t{i:03d}")["TopicArn"]
        if f"t{i:03d}" == PUBLIC:
            policy = {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Principal": "*", "Action": "sns:Publish", "Resource": arn}
                ],
            }
            sns.set_topic_attributes(
                TopicArn=arn, AttributeName="Policy", AttributeValue=json.dumps(policy)
            )

    tokens, rule = _third_page_fails()
    with FaultProxy(moto_url, rules=(rule,)) as proxy:
        options = AwsOptions(
            regions=(REGION,),
            endpoint_url=proxy.url,
            max_attempts=2,
            rate_limits=RateLimits.off(),
        )
        collection = collect_inventory(AwsContext(options))
    assert proxy.stats.faults["InternalError"] == 2  # the third page, and its one retry
    evidence = [
        e for e in run_checks(collection, CheckConfig()) if e.check_id == "sns.topic_policy_public"
    ]

    judged = [e for e in evidence if e.resource_arn]
    assert len(judged) == 200  # pages 1 and 2
    assert {e.resource_arn.rsplit(":", 1)[-1] for e in judged} == {f"t{i:03d}" for i in range(200)}
    by_name = {e.resource_arn.rsplit(":", 1)[-1]: e.status for e in judged}
    assert by_name[PUBLIC] is Status.FAIL
    assert Status.UNKNOWN not in {by_name[n] for n in by_name if n != PUBLIC}
    # The listing's failure: UNKNOWN for the region, saying the inventory is incomplete.
    (incomplete,) = [e for e in evidence if not e.resource_arn]
    assert incomplete.status is Status.UNKNOWN
    assert "incomplete" in incomplete.summary and "200 listed" in incomplete.summary
    assert incomplete.details["error"]["code"] == "InternalError"
    (error,) = [e for e in collection.errors if e.operation == "ListTopics"]
    assert "the list is incomplete: 200 listed before a page failed" in error.message
    assert len(tokens) == 2
