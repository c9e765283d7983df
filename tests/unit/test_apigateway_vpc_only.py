"""An API Gateway policy limited to VPC endpoints stays "VPC only" beside a statement that can
never apply (it grants nothing, so it must not count as a grant that escapes the VPC)."""

from __future__ import annotations

from wa_review.checks.apigateway import vpc_restricted
from wa_review.policy import PolicyContext, judge_policy

ACCOUNT = "123456789012"
API = f"arn:aws:execute-api:us-east-1:{ACCOUNT}:abc123/*"
CTX = PolicyContext(
    account_id=ACCOUNT,
    resource_type="apigateway",
    resource_arn=API,
    org_id=None,
    trusted_accounts=frozenset(),
)


def _statement(sid: str, condition: dict[str, dict[str, str]]) -> dict[str, object]:
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": "*",
        "Action": "execute-api:Invoke",
        "Resource": API,
        "Condition": condition,
    }


PINNED = _statement("FromEndpoint", {"StringEquals": {"aws:SourceVpce": "vpce-0abc"}})
# ArnLike with a value that is no ARN (and no wildcard) matches no request.
NEVER = _statement("Broken", {"ArnLike": {"aws:SourceArn": "not-an-arn"}})


def test_a_statement_that_never_applies_does_not_spoil_vpc_only() -> None:
    verdict = judge_policy({"Version": "2012-10-17", "Statement": [PINNED, NEVER]}, CTX)
    assert any(r.never_applies for r in verdict.reasons), [r.detail for r in verdict.reasons]
    assert vpc_restricted(verdict)


def test_only_never_applying_statements_are_not_vpc_only() -> None:
    verdict = judge_policy({"Version": "2012-10-17", "Statement": [NEVER]}, CTX)
    assert not vpc_restricted(verdict)


def test_an_open_statement_still_breaks_vpc_only() -> None:
    open_to_all = _statement("Open", {})
    del open_to_all["Condition"]
    verdict = judge_policy({"Version": "2012-10-17", "Statement": [PINNED, open_to_all]}, CTX)
    assert not vpc_restricted(verdict)
