"""IAM Access Analyzer: moto lacks it (unknown), and a fake in AWS's shape drives the rest.

The fake answers at `before-send`, so requests go through botocore's real serializer and the
answers through its real parser and paginator, as they would from AWS.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from botocore.awsrequest import AWSResponse

from tests.aws.faults import deny
from tests.aws.fixtures import resource_policy_account as account
from tests.conftest import make_context
from wa_review.aws.collectors.accessanalyzer import AccessAnalyzerCollector
from wa_review.aws.collectors.sqs import SqsCollector
from wa_review.aws.iam_policy import iam_action_for
from wa_review.aws.run import Collection, collect_inventory
from wa_review.checks.accessanalyzer import findings
from wa_review.checks.sqs import queue_policy_public
from wa_review.model.evidence import Evidence, Status
from wa_review.model.inventory import CheckConfig
from wa_review.model.snapshots.accessanalyzer import AccessAnalyzerSnapshot

WHEN = "2026-11-01T10:00:00Z"
QUEUE = f"arn:aws:sqs:{account.REGION}:{account.ACCOUNT}:public-queue"
ROLE = f"arn:aws:iam::{account.ACCOUNT}:role/deploy"


def analyzer(
    name: str, region: str, *, kind: str = "ACCOUNT", status: str = "ACTIVE"
) -> dict[str, Any]:
    return {
        "arn": f"arn:aws:access-analyzer:{region}:{account.ACCOUNT}:analyzer/{name}",
        "name": name,
        "type": kind,
        "createdAt": WHEN,
        "status": status,
    }


def finding(ident: str, resource: str, kind: str, *, public: bool) -> dict[str, Any]:
    return {
        "id": ident,
        "principal": {"AWS": "*"} if public else {"AWS": account.PARTNER},
        "action": ["sqs:SendMessage"] if kind == "AWS::SQS::Queue" else ["sts:AssumeRole"],
        "resource": resource,
        "isPublic": public,
        "resourceType": kind,
        "condition": {},
        "createdAt": WHEN,
        "analyzedAt": WHEN,
        "updatedAt": WHEN,
        "status": "ACTIVE",
        "resourceOwnerAccount": account.ACCOUNT,
    }


class FakeAccessAnalyzer:
    """ListAnalyzers per region and ListFindings per analyzer, one finding per page."""

    def __init__(
        self,
        analyzers: dict[str, list[dict[str, Any]]],
        found: dict[str, list[dict[str, Any]]] | None = None,
    ) -> None:
        self.analyzers = analyzers
        self.found = found or {}
        self.requests: list[dict[str, Any]] = []

    def __call__(self, request: Any, event_name: str = "", **_: Any) -> AWSResponse | None:
        if event_name.split(".")[1:2] != ["accessanalyzer"]:
            return None
        if event_name.endswith(".ListAnalyzers"):
            region = request.url.split("access-analyzer.", 1)[1].split(".", 1)[0]
            return account.json_response({"analyzers": self.analyzers.get(region, [])})
        if event_name.endswith(".ListFindings"):
            body = json.loads(request.body)
            self.requests.append(body)
            items = self.found.get(body["analyzerArn"], [])
            index = int(body.get("nextToken") or 0)
            page: dict[str, Any] = {"findings": items[index : index + 1]}
            if index + 1 < len(items):
                page["nextToken"] = str(index + 1)
            return account.json_response(page)
        return None


def _collect(
    session: Any,
    hooks: Sequence[Callable[..., Any]] = (),
    *,
    regions: tuple[str, ...] = (account.REGION,),
    collectors: tuple[type[Any], ...] = (AccessAnalyzerCollector,),
    **kwargs: Any,
) -> Collection:
    ctx = make_context(session, regions=regions)
    ctx.before_send_hooks.extend(hooks)
    return collect_inventory(ctx, collectors=collectors, **kwargs)


def _evidence(collection: Collection) -> dict[str, Evidence]:
    return {e.region: e for e in findings(collection.inventories[0], CheckConfig())}


def test_moto_lacks_the_service_so_the_region_is_unknown_and_others_go_on(moto: Any) -> None:
    account.queues(moto)
    collection = _collect(moto, collectors=(AccessAnalyzerCollector, SqsCollector))
    inv = collection.inventories[0]
    snap = inv.get(account.REGION, AccessAnalyzerSnapshot)
    assert snap is not None and snap.listing_error is not None
    assert snap.listing_error.code == "ApiUnavailable"
    [evidence] = findings(inv, CheckConfig())
    assert evidence.status is Status.UNKNOWN and "ApiUnavailable" in evidence.summary
    assert {e.status for e in queue_policy_public(inv, CheckConfig())} >= {Status.FAIL}


def test_active_findings_fail_naming_the_resources(moto: Any) -> None:
    az = analyzer("account", account.REGION)
    fake = FakeAccessAnalyzer(
        {account.REGION: [az, analyzer("unused", account.REGION, kind="ACCOUNT_UNUSED_ACCESS")]},
        {
            az["arn"]: [
                finding("f-1", QUEUE, "AWS::SQS::Queue", public=True),
                finding("f-2", ROLE, "AWS::IAM::Role", public=False),  # not a SEC2 resource
            ]
        },
    )
    collection = _collect(moto, [fake])
    snap = collection.inventories[0].get(account.REGION, AccessAnalyzerSnapshot)
    assert snap is not None and [a.name for a in snap.analyzers] == ["account"]
    assert [f.id for f in snap.analyzers[0].findings] == ["f-1", "f-2"]  # both pages read
    assert fake.requests[0]["filter"] == {"status": {"eq": ["ACTIVE"]}}
    evidence = _evidence(collection)[account.REGION]
    assert evidence.status is Status.FAIL
    assert evidence.resource_arn == az["arn"]
    assert f"{QUEUE} (AWS::SQS::Queue) is open to anyone" in evidence.summary
    assert ROLE not in evidence.summary
    made = {iam_action_for(*k.split(":", 1)) for k in collection.calls} - {"sts:GetCallerIdentity"}
    assert made <= set(AccessAnalyzerCollector.iam_actions)


def test_per_region_pass_and_missing_analyzer_warn(moto: Any) -> None:
    fake = FakeAccessAnalyzer(
        {account.REGION: [analyzer("org", account.REGION, kind="ORGANIZATION")], "eu-west-1": []}
    )
    by_region = _evidence(_collect(moto, [fake], regions=(account.REGION, "eu-west-1")))
    assert by_region[account.REGION].status is Status.PASS
    assert "org (ORGANIZATION) active" in by_region[account.REGION].summary
    assert by_region["eu-west-1"].status is Status.WARN
    assert "No active external-access analyzer in eu-west-1" in by_region["eu-west-1"].summary


def test_an_inactive_analyzer_is_no_analyzer(moto: Any) -> None:
    fake = FakeAccessAnalyzer({account.REGION: [analyzer("a", account.REGION, status="DISABLED")]})
    evidence = _evidence(_collect(moto, [fake]))[account.REGION]
    assert evidence.status is Status.WARN and "a is DISABLED" in evidence.summary
    assert not fake.requests  # a disabled analyzer's findings are not read


def test_findings_out_of_scope_do_not_fail_the_workload(moto: Any) -> None:
    az = analyzer("account", account.REGION)
    fake = FakeAccessAnalyzer(
        {account.REGION: [az]}, {az["arn"]: [finding("f-1", QUEUE, "AWS::SQS::Queue", public=True)]}
    )
    # A tag scope that matches nothing: the queue is not part of the workload.
    evidence = _evidence(_collect(moto, [fake], tags=(("app", "none"),)))[account.REGION]
    assert evidence.status is Status.PASS
    assert evidence.details["out_of_scope_findings"] == 1


def test_denied_listing_or_findings_are_unknown(moto: Any) -> None:
    listing = _evidence(_collect(moto, [deny("ListAnalyzers")]))[account.REGION]
    assert listing.status is Status.UNKNOWN and "AccessDenied" in listing.summary
    az = analyzer("account", account.REGION)
    fake = FakeAccessAnalyzer({account.REGION: [az]})
    found = _evidence(_collect(moto, [deny("ListFindings"), fake]))[account.REGION]
    assert found.status is Status.UNKNOWN and found.resource_arn == az["arn"]
