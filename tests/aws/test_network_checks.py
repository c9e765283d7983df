"""Network checks of practice a2 over the moto fixture account, resource by resource."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import pytest

from tests.aws.fixtures import network_account
from tests.aws.fixtures.network_account import Built
from tests.conftest import make_context
from wa_review.aws.collectors.apigateway import ApiGatewayCollector
from wa_review.aws.collectors.appsync import AppSyncCollector
from wa_review.aws.collectors.dns_firewall import DnsFirewallCollector
from wa_review.aws.collectors.ec2 import Ec2Collector
from wa_review.aws.collectors.lambda_ import LambdaCollector
from wa_review.aws.collectors.network_firewall import NetworkFirewallCollector
from wa_review.aws.collectors.wafv2 import WafV2Collector
from wa_review.aws.run import Collection, collect_inventory
from wa_review.checks.ec2 import function_sg_egress, function_subnet_nacl
from wa_review.checks.lambda_network import egress_path, subnets_private, vpc_attachment
from wa_review.checks.network_filtering import egress_filtering
from wa_review.checks.vpc import endpoints_for_services, flow_logs
from wa_review.model.evidence import Evidence, Status
from wa_review.model.inventory import AccountInventory, CheckConfig
from wa_review.model.snapshots.dns_firewall import DnsFirewallSnapshot
from wa_review.model.snapshots.ec2 import Ec2Snapshot
from wa_review.model.snapshots.lambda_ import LambdaSnapshot
from wa_review.model.snapshots.network_firewall import NetworkFirewallSnapshot
from wa_review.model.snapshots.wafv2 import WafSnapshot

CheckFn = Callable[[AccountInventory, CheckConfig], Iterable[Evidence]]
NETWORK = (LambdaCollector, Ec2Collector, NetworkFirewallCollector, DnsFirewallCollector)
WAF = (WafV2Collector, ApiGatewayCollector, AppSyncCollector)
PREFIX = "arn:aws:ec2:us-east-1:123456789012:"


@pytest.fixture(scope="module")
def account() -> Iterator[tuple[Built, Collection]]:
    with network_account.moto_account() as (built, session):
        yield built, collect_inventory(make_context(session), collectors=(*NETWORK, *WAF))


def judged(built: Built, collection: Collection, fn: CheckFn) -> dict[str, Evidence]:
    """Evidence keyed by fixture name: function, VPC, subnet or security group."""
    names = {arn: name for name, arn in built.functions.items()}
    names |= {f"{PREFIX}vpc/{i}": n for n, i in built.vpcs.items()}
    names |= {f"{PREFIX}subnet/{i}": n for n, i in built.subnets.items()}
    names |= {f"{PREFIX}security-group/{i}": n for n, i in built.groups.items()}
    found = list(fn(collection.inventories[0], CheckConfig()))
    keyed = {names[e.resource_arn]: e for e in found}
    assert len(keyed) == len(found), [e.summary for e in found]
    return keyed


def statuses(evidence: dict[str, Evidence]) -> dict[str, Status]:
    return {name: e.status for name, e in evidence.items()}


def test_calls_are_declared_and_missing_apis_recorded(account: tuple[Built, Collection]) -> None:
    _, collection = account
    declared = {a for c in (*NETWORK, WafV2Collector) for a in c.iam_actions}
    for call in collection.calls:
        if call.split(":")[0] in ("ec2", "wafv2", "network-firewall", "route53resolver"):
            assert call in declared, call
    missing = {(e.service, e.operation) for e in collection.errors if e.code == "ApiUnavailable"}
    assert ("network-firewall", "DescribeFirewallPolicy") in missing
    assert ("route53resolver", "ListFirewallRuleGroupAssociations") in missing
    assert ("wafv2", "ListResourcesForWebACL") in missing  # AWS's spelling


def test_snapshots_keep_the_network(account: tuple[Built, Collection]) -> None:
    built, collection = account
    inv = collection.inventories[0]
    ec2 = inv.get("us-east-1", Ec2Snapshot)
    lam = inv.get("us-east-1", LambdaSnapshot)
    assert ec2 is not None and lam is not None and ec2.listing_error is None
    # moto hard-codes the function's VpcId: the checks derive the VPC from the subnets.
    assert {f.vpc_id for f in lam.functions if f.in_vpc} == {"vpc-123abc"}
    main = next(t for t in ec2.route_tables if t.id == built.tables["core-main"])
    assert main.main and main.subnet_ids == ()
    assert any(r.target == built.nat and r.is_default for r in main.routes)
    assert [n.state for n in ec2.nat_gateways if n.id == built.nat] == ["available"]
    gwlb = next(e for e in ec2.endpoints if e.id == built.gwlb_endpoint)
    assert gwlb.type == "GatewayLoadBalancer"
    firewalls = inv.get("us-east-1", NetworkFirewallSnapshot)
    assert firewalls is not None
    (fw,) = firewalls.firewalls
    assert fw.vpc_id == built.vpcs["inspected"] and fw.subnet_ids == (built.subnets["fw-1"],)
    assert fw.policy is None and fw.policy_error is not None
    assert fw.policy_error.code == "ApiUnavailable"
    dns = inv.get("us-east-1", DnsFirewallSnapshot)
    assert dns is not None and dns.listing_error is not None
    assert dns.listing_error.code == "ApiUnavailable"
    waf = inv.get("us-east-1", WafSnapshot)
    assert waf is not None
    acls = {a.name: a for a in waf.web_acls}
    assert acls["orders-acl"].logging_destinations and not acls["empty-acl"].logging_destinations
    assert acls["empty-acl"].logging_error is None  # WAFNonexistentItem = no logging
    assert acls["orders-acl"].resources_error is not None  # moto lacks the API
    assert [r.action for r in acls["empty-acl"].rules] == ["Count"]
    assert [r.override_action for r in acls["count-acl"].rules] == ["Count"]
    (ip_set,) = waf.ip_sets
    assert ip_set.address_count == 1


def test_vpc_attachment(account: tuple[Built, Collection]) -> None:
    built, collection = account
    found = judged(built, collection, vpc_attachment)
    assert statuses(found)["edge-fn"] is Status.WARN
    assert "only when the function needs private resources" in found["edge-fn"].summary
    assert statuses(found)["orders-api"] is Status.PASS
    assert built.vpcs["core"] in found["orders-api"].summary
    assert Status.FAIL not in statuses(found).values()


def test_subnets_private(account: tuple[Built, Collection]) -> None:
    built, collection = account
    found = judged(built, collection, subnets_private)
    assert "edge-fn" not in found  # not in a VPC: nothing to judge
    assert statuses(found) == {
        "orders-api": Status.PASS,
        "payments": Status.PASS,
        "public-fn": Status.FAIL,
        "vault-fn": Status.PASS,
        "batch-fn": Status.PASS,
        "scan-fn": Status.PASS,
    }
    fail = found["public-fn"].summary
    for part in (built.subnets["edge-1"], built.tables["edge-main"], built.igws["edge"]):
        assert part in fail
    assert "main table" in fail and "functions public-fn use it" in fail
    # core-1/core-2 have no explicit table: the *core* VPC's main table (NAT) applies.
    path = found["orders-api"].details["paths"][0]
    assert path["route_table"] == built.tables["core-main"] and path["main_table"]


def test_egress_path(account: tuple[Built, Collection]) -> None:
    built, collection = account
    found = judged(built, collection, egress_path)
    assert statuses(found) == {
        "orders-api": Status.PASS,
        "payments": Status.PASS,
        "public-fn": Status.FAIL,
        "vault-fn": Status.PASS,
        "batch-fn": Status.WARN,
        "scan-fn": Status.PASS,
    }
    assert "egress via NAT gateway" in found["orders-api"].summary
    assert built.nat in found["orders-api"].summary
    assert "VPC endpoints: dynamodb, s3, sqs" in found["vault-fn"].summary
    assert "cannot reach AWS APIs unless VPC endpoints exist" in found["batch-fn"].summary
    assert "Gateway Load Balancer endpoint" in found["scan-fn"].summary
    route = found["public-fn"].details["paths"][0]["route"]
    assert route == {"destination": "0.0.0.0/0", "target": built.igws["edge"], "state": "active"}


def test_security_group_egress(account: tuple[Built, Collection]) -> None:
    built, collection = account
    found = judged(built, collection, function_sg_egress)
    assert statuses(found) == {
        "tight-sg": Status.PASS,
        "open-sg": Status.WARN,
        "edge-sg": Status.WARN,
        "vault-sg": Status.PASS,
        "dark-sg": Status.PASS,
        "scan-sg": Status.PASS,
    }
    assert "all traffic to 0.0.0.0/0; functions payments use it" in found["open-sg"].summary
    assert "tcp 443 to 10.1.0.0/16" in found["tight-sg"].summary


def test_subnet_nacl(account: tuple[Built, Collection]) -> None:
    built, collection = account
    found = judged(built, collection, function_subnet_nacl)
    # core-1 has a custom ACL (moto shape: no rule-32767 entries); the rest use the default.
    assert statuses(found) == {
        "core-1": Status.PASS,
        "core-2": Status.WARN,
        "edge-1": Status.WARN,
        "vault-1": Status.WARN,
        "dark-1": Status.WARN,
        "inspected-1": Status.WARN,
    }
    assert "functions orders-api, payments use it" in found["core-1"].summary
    assert "(the VPC default) allows all inbound traffic (rule 100" in found["core-2"].summary
    assert found["core-2"].details["outbound"]["rule_number"] == 100


def test_endpoints_for_services(account: tuple[Built, Collection]) -> None:
    built, collection = account
    found = judged(built, collection, endpoints_for_services)
    assert statuses(found) == {
        "core": Status.WARN,  # NAT egress: endpoints optional, but the S3 one is wide open
        "edge": Status.PASS,
        "vault": Status.PASS,
        "dark": Status.FAIL,
        "inspected": Status.PASS,
    }
    assert "endpoints are not required" in found["edge"].summary
    assert "allow any principal without condition" in found["core"].summary
    assert found["core"].details["open_policies"][0]["reasons"]
    assert "no VPC endpoints: functions batch-fn cannot reach any AWS API" in found["dark"].summary
    assert "s3 (gateway), dynamodb (gateway), sqs (interface, private DNS)" in (
        found["vault"].summary
    )


def test_flow_logs(account: tuple[Built, Collection]) -> None:
    built, collection = account
    found = judged(built, collection, flow_logs)
    assert statuses(found) == {
        "core": Status.PASS,
        "edge": Status.FAIL,
        "vault": Status.WARN,
        "dark": Status.FAIL,
        "inspected": Status.FAIL,
    }
    assert "ALL traffic to log group flow-" in found["core"].summary
    assert "no flow log on the VPC" in found["edge"].summary
    assert "rejected traffic only" in found["vault"].summary
    assert "accepted traffic only" in found["dark"].summary  # a subnet-level log
    assert "cannot deliver: Access error" in found["inspected"].summary


def test_egress_filtering_unknown_without_dns_firewall_api(
    account: tuple[Built, Collection],
) -> None:
    built, collection = account
    found = judged(built, collection, egress_filtering)
    assert statuses(found) == {
        "core": Status.UNKNOWN,
        "edge": Status.UNKNOWN,
        "vault": Status.PASS,
        "dark": Status.PASS,
        "inspected": Status.UNKNOWN,
    }
    text = found["core"].summary
    assert "ListFirewallRuleGroupAssociations failed: ApiUnavailable" in text
    assert found["core"].details["errors"][0]["code"] == "ApiUnavailable"
    assert "no internet egress to filter" in found["vault"].summary


def test_region_without_vpc_functions_is_not_applicable() -> None:
    inv = AccountInventory("123456789012", "us-east-1")
    inv.add("us-east-1", LambdaSnapshot())
    inv.add("us-east-1", Ec2Snapshot())
    for fn in (subnets_private, egress_path, flow_logs, egress_filtering, function_sg_egress):
        (only,) = fn(inv, CheckConfig())
        assert only.status is Status.NOT_APPLICABLE
        assert only.summary == "No Lambda functions attached to a VPC in scope in us-east-1"


def test_every_evidence_is_json_ready(account: tuple[Built, Collection]) -> None:
    import json

    from wa_review.checks.waf import rule_coverage, waf_logging

    _, collection = account
    checks = (
        vpc_attachment,
        subnets_private,
        egress_path,
        function_sg_egress,
        function_subnet_nacl,
        endpoints_for_services,
        flow_logs,
        egress_filtering,
        rule_coverage,
        waf_logging,
    )
    for check in checks:
        for evidence in check(collection.inventories[0], CheckConfig()):
            assert evidence.check_id.split(".")[0] in {"lambda", "ec2", "vpc", "network", "waf"}
            json.dumps(evidence.to_dict())
