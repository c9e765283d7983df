"""Opt-in second opinion: IAM Access Analyzer's CheckNoPublicAccess on the policies we collected.

Runs after the collectors, over their snapshots, only with `--access-analyzer`: AWS bills each
custom policy check, so a review never makes these calls unless the reviewer asked. The answers
are stored as a snapshot; comparing them with our judge is a pure check
(`accessanalyzer.public_access_cross_check`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from wa_review.aws.api import REGION_OFF_CODES, CallFailed, RegionApi
from wa_review.model.inventory import AccountInventory
from wa_review.model.snapshots.access_analyzer_cross_check import (
    AccessAnalyzerCrossCheckSnapshot,
    AwsReason,
    PublicAccessCheck,
)
from wa_review.model.snapshots.apigateway import ApiGatewaySnapshot
from wa_review.model.snapshots.dynamodb import DynamoDbSnapshot
from wa_review.model.snapshots.lambda_ import LambdaSnapshot
from wa_review.model.snapshots.s3 import S3Snapshot
from wa_review.model.snapshots.sns import SnsSnapshot
from wa_review.model.snapshots.sqs import SqsSnapshot
from wa_review.policy import PolicyParseError, load_policy_document

SERVICE = AccessAnalyzerCrossCheckSnapshot.service
# Listed in the printed least-privilege policy even though only `--access-analyzer` calls it,
# so a reviewer can opt in without editing the role.
IAM_ACTIONS = ("access-analyzer:CheckNoPublicAccess",)
# Failures that say nothing about one policy: the API is refused or absent for the whole
# region, so every further call would fail the same way (and take its retries).
REGION_WIDE_CODES = frozenset(
    {"AccessDenied", "AccessDeniedException", "ApiUnavailable", "EndpointUnreachable"}
    | REGION_OFF_CODES
)


def check_public_access(
    api: RegionApi, inventory: AccountInventory
) -> AccessAnalyzerCrossCheckSnapshot:
    """Ask AWS about every in-scope policy of a supported type collected in `api.region`."""
    policies = list(_policies(inventory, api.region))
    if not policies:
        return AccessAnalyzerCrossCheckSnapshot()
    # One call first: if the API is denied or missing here, stop after one failure instead of
    # one per policy, and say so once for the region.
    first = _ask(api, policies[0])
    if first.error is not None and first.error.code in REGION_WIDE_CODES:
        return AccessAnalyzerCrossCheckSnapshot(listing_error=first.error)
    rest = api.fan_out(lambda asked: _ask(api, asked), policies[1:])
    return AccessAnalyzerCrossCheckSnapshot(checks=(first, *rest))


def _ask(api: RegionApi, asked: PublicAccessCheck) -> PublicAccessCheck:
    """`asked` with AWS's answer, or with the error that stood in its way."""
    try:
        answer = api.call(
            "accessanalyzer",
            "check_no_public_access",
            resource=asked.resource_arn,
            policyDocument=_wire_document(asked.document),
            resourceType=asked.resource_type,
        )
    except CallFailed as failed:
        return replace(asked, error=failed.error)
    return replace(
        asked,
        result=str(answer.get("result") or ""),
        message=str(answer.get("message") or ""),
        reasons=tuple(_reason(r) for r in answer.get("reasons") or ()),
    )


def _reason(raw: dict[str, Any]) -> AwsReason:
    index = raw.get("statementIndex")
    return AwsReason(
        description=str(raw.get("description") or ""),
        statement_index=int(index) if index is not None else None,
        statement_id=str(raw.get("statementId") or ""),
    )


def _wire_document(text: str) -> str:
    """Plain JSON for AWS: API Gateway hands its policy back escaped, which AWS would refuse.

    Text our loader cannot read goes as it is, so AWS's own error says what is wrong with it.
    """
    try:
        return json.dumps(load_policy_document(text))
    except PolicyParseError:
        return text


def _policies(inv: AccountInventory, region: str) -> Iterator[PublicAccessCheck]:
    """The policies to send from `region`, not yet answered, in a stable order. S3 is
    account-wide, so its buckets go from the home region, as the S3 collector reads them."""
    lambda_ = inv.get(region, LambdaSnapshot)
    if lambda_ is not None:
        for fn in (f for f in lambda_.functions if f.in_scope):
            for p in fn.policies:
                if p.error is None and p.document:
                    alias = "" if p.target == fn.arn else f" (alias {p.target.rsplit(':', 1)[-1]})"
                    yield PublicAccessCheck(
                        p.target,
                        f"function {fn.name}{alias}",
                        "AWS::Lambda::Function",
                        "lambda",
                        region,
                        p.document,
                    )
    apis = inv.get(region, ApiGatewaySnapshot)
    if apis is not None:
        for rest in (a for a in apis.rest_apis if a.in_scope and a.policy):
            yield PublicAccessCheck(
                rest.arn,
                f"REST API {rest.name}",
                "AWS::ApiGateway::RestApi",
                "apigateway",
                region,
                str(rest.policy),
            )
    sqs = inv.get(region, SqsSnapshot)
    for q in sqs.queues if sqs is not None else ():
        if q.in_scope and q.error is None and q.policy:
            yield PublicAccessCheck(
                q.arn, f"queue {q.name}", "AWS::SQS::Queue", "sqs", region, q.policy
            )
    sns = inv.get(region, SnsSnapshot)
    for t in sns.topics if sns is not None else ():
        if t.in_scope and t.error is None and t.policy:
            yield PublicAccessCheck(
                t.arn, f"topic {t.name}", "AWS::SNS::Topic", "sns", region, t.policy
            )
    yield from _dynamodb(inv.get(region, DynamoDbSnapshot), region)
    s3 = inv.get_global(S3Snapshot)
    if s3 is None or region != inv.home_region:
        return
    for b in s3.buckets:
        if b.in_scope and b.policy_error is None and b.policy:
            where = b.region or region
            yield PublicAccessCheck(
                b.arn, f"bucket {b.name}", "AWS::S3::Bucket", "s3", where, b.policy
            )


def _dynamodb(snap: DynamoDbSnapshot | None, region: str) -> Iterator[PublicAccessCheck]:
    if snap is None:
        return
    for table in (t for t in snap.tables if t.in_scope):
        if table.policy is not None and table.policy.error is None and table.policy.document:
            yield PublicAccessCheck(
                table.arn,
                f"table {table.name}",
                "AWS::DynamoDB::Table",
                "dynamodb",
                region,
                table.policy.document,
            )
        stream = table.stream_policy
        if table.stream_arn and stream is not None and stream.error is None and stream.document:
            yield PublicAccessCheck(
                table.stream_arn,
                f"stream of table {table.name}",
                "AWS::DynamoDB::Stream",
                "dynamodb",
                region,
                stream.document,
            )
