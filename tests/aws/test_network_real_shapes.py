"""Answers in the real AWS shape where moto differs or lacks the API (before-send fixtures).

NACLs with the rule-32767 entries, flow logs to an S3 prefix, DNS Firewall associations and
fail-open settings, Network Firewall endpoints (SyncStates) and policies.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from botocore.validate import validate_parameters

from tests.aws.faults import RawBody
from tests.aws.fixtures import network_account
from tests.aws.fixtures.network_account import ACCOUNT, REGION, Built
from tests.aws.test_network_checks import NETWORK, judged, statuses
from tests.conftest import make_context
from wa_review.aws.context import AwsContext
from wa_review.aws.run import Collection, collect_inventory
from wa_review.checks.ec2 import function_subnet_nacl
from wa_review.checks.lambda_network import egress_path
from wa_review.checks.network_filtering import egress_filtering
from wa_review.checks.vpc import flow_logs
from wa_review.model.evidence import Status
from wa_review.model.snapshots.dns_firewall import DnsFirewallSnapshot
from wa_review.model.snapshots.network_firewall import NetworkFirewallSnapshot

Respond = Callable[[dict[str, Any]], "tuple[int, dict[str, Any]]"]
XML = "text/xml;charset=UTF-8"
EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/"


def answer(operation: str, body: str) -> Callable[..., Any]:
    """A before-send handler: `operation` (EC2, XML) gets `body`, through botocore's parser."""

    def handler(request: Any, **kwargs: Any) -> AWSResponse | None:
        if not str(kwargs.get("event_name", "")).endswith(f".{operation}"):
            return None
        return AWSResponse(request.url, 200, {"Content-Type": XML}, RawBody(body.encode()))

    return handler


def stub(ctx: AwsContext, service: str, operation: str, respond: Respond) -> None:
    """Answer `operation` at before-call, checked against the service's output shape.

    moto raises NotImplementedError from its own before-send handler for the APIs it lacks,
    which a before-send answer cannot pre-empt; before-call (as botocore's Stubber does)
    never reaches it.
    """
    client = ctx.client(ctx.accounts()[0], service, REGION)

    def handler(model: Any, params: dict[str, Any], **_: Any) -> tuple[AWSResponse, Any]:
        body = params.get("body") or b"{}"
        status, parsed = respond(json.loads(body.decode() if isinstance(body, bytes) else body))
        http = AWSResponse(str(params.get("url", "")), status, {}, RawBody(b""))
        if status >= 300:
            error = {"Code": parsed["__type"], "Message": parsed.get("message", "")}
            return http, {"Error": error, "ResponseMetadata": {"HTTPStatusCode": status}}
        validate_parameters(parsed, model.output_shape)  # the real AWS shape, or the test fails
        return http, parsed

    event = f"before-call.{client.meta.service_model.service_id.hyphenize()}.{operation}"
    client.meta.events.register_first(event, handler)


def xml_items(tag: str, items: list[str]) -> str:
    """An EC2 query-protocol list: <tag><item>…</item>…</tag>."""
    if not items:
        return f"<{tag}/>"
    return f"<{tag}>" + "".join(f"<item>{i}</item>" for i in items) + f"</{tag}>"


@pytest.fixture(scope="module")
def account() -> Iterator[tuple[Built, Any]]:
    with network_account.moto_account() as built_and_session:
        yield built_and_session


def collect(
    session: Any,
    *hooks: Callable[..., Any],
    stubs: Callable[[AwsContext], None] = lambda _ctx: None,
) -> Collection:
    ctx = make_context(session)
    ctx.before_send_hooks.extend(hooks)
    stubs(ctx)
    return collect_inventory(ctx, collectors=NETWORK)


def _entry(rule: int, action: str, egress: bool, cidr: str = "0.0.0.0/0", **ports: int) -> str:
    port = (
        f"<portRange><from>{ports['lo']}</from><to>{ports['hi']}</to></portRange>" if ports else ""
    )
    proto = "6" if ports else "-1"
    return (
        f"<ruleNumber>{rule}</ruleNumber><protocol>{proto}</protocol>"
        f"<ruleAction>{action}</ruleAction><egress>{str(egress).lower()}</egress>"
        f"<cidrBlock>{cidr}</cidrBlock>{port}"
    )


def _acl(acl_id: str, vpc: str, default: bool, subnets: list[str], entries: list[str]) -> str:
    # Every real ACL ends with the two catch-all deny entries (moto's custom ACLs lack them).
    entries = [*entries, _entry(32767, "deny", True), _entry(32767, "deny", False)]
    associations = [
        f"<networkAclAssociationId>aclassoc-{i}</networkAclAssociationId>"
        f"<networkAclId>{acl_id}</networkAclId><subnetId>{s}</subnetId>"
        for i, s in enumerate(subnets)
    ]
    return (
        f"<networkAclId>{acl_id}</networkAclId><vpcId>{vpc}</vpcId>"
        f"<default>{str(default).lower()}</default>{xml_items('entrySet', entries)}"
        f"{xml_items('associationSet', associations)}"
        f"<ownerId>{ACCOUNT}</ownerId>"
    )


def test_nacl_rule_32767_entries_real_shape(account: tuple[Built, Any]) -> None:
    built, session = account
    v, s = built.vpcs, built.subnets
    acls = [
        _acl(
            "acl-default-core",
            v["core"],
            True,
            [s["core-2"], s["core-public"]],
            [_entry(100, "allow", True), _entry(100, "allow", False)],
        ),
        _acl(
            "acl-tight",
            v["core"],
            False,
            [s["core-1"]],
            [
                _entry(100, "allow", True, lo=443, hi=443),
                _entry(100, "allow", False, lo=1024, hi=65535),
            ],
        ),
        _acl(
            "acl-edge",
            v["edge"],
            False,
            [s["edge-1"]],
            [
                _entry(50, "deny", False, "203.0.113.0/24"),
                _entry(100, "allow", False),
                _entry(100, "allow", True),
            ],
        ),
        # The vault default ACL lists no association here: the VPC default is the fallback.
        _acl("acl-default-vault", v["vault"], True, [], []),
    ]
    body = (
        f'<DescribeNetworkAclsResponse xmlns="{EC2_NS}"><requestId>r</requestId>'
        f"{xml_items('networkAclSet', acls)}</DescribeNetworkAclsResponse>"
    )
    collection = collect(session, answer("DescribeNetworkAcls", body))
    found = judged(built, collection, function_subnet_nacl)
    assert statuses(found) == {
        "core-1": Status.PASS,
        "core-2": Status.WARN,
        "edge-1": Status.WARN,
        "vault-1": Status.PASS,
        "dark-1": Status.UNKNOWN,  # neither an association nor a VPC default in the answer
        "inspected-1": Status.UNKNOWN,
    }
    assert "allows all inbound traffic (rule 100" in found["core-2"].summary
    edge = found["edge-1"].summary
    assert "all outbound traffic" in edge and "all inbound" not in edge
    assert found["edge-1"].details["inbound"]["denies_before"] == 1
    assert "acl-default-vault (the VPC default) has no unconditional allow-all rule" in (
        found["vault-1"].summary
    )


def _flow(log_id: str, resource: str, traffic: str, kind: str, dest: str, **extra: str) -> str:
    fields = {
        "flowLogId": log_id,
        "flowLogStatus": "ACTIVE",
        "resourceId": resource,
        "trafficType": traffic,
        "logDestinationType": kind,
        "logDestination": dest,
        "deliverLogsStatus": "SUCCESS",
        **extra,
    }
    return "".join(f"<{k}>{v}</{k}>" for k, v in fields.items())


def test_flow_logs_real_shape_with_s3_prefix(account: tuple[Built, Any]) -> None:
    built, session = account
    v, s = built.vpcs, built.subnets
    logs = [
        _flow("fl-1", v["core"], "ALL", "s3", "arn:aws:s3:::flow-logs-bucket/vpc/core/"),
        _flow(
            "fl-2",
            v["edge"],
            "REJECT",
            "cloud-watch-logs",
            f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:edge-flow:*",
            logGroupName="edge-flow",
        ),
        _flow("fl-3", v["vault"], "ALL", "kinesis-data-firehose", "arn:aws:firehose:x"),
        _flow("fl-4", s["dark-1"], "ALL", "s3", "arn:aws:s3:::flow-logs-bucket"),
        _flow(
            "fl-5",
            v["inspected"],
            "ALL",
            "s3",
            "arn:aws:s3:::gone-bucket/",
            deliverLogsStatus="FAILED",
            deliverLogsErrorMessage="Access error",
        ),
        _flow("fl-6", s["inspected-1"], "ALL", "s3", "arn:aws:s3:::flow-logs-bucket/subnets/"),
    ]
    body = (
        f'<DescribeFlowLogsResponse xmlns="{EC2_NS}"><requestId>r</requestId>'
        f"{xml_items('flowLogSet', logs)}</DescribeFlowLogsResponse>"
    )
    collection = collect(session, answer("DescribeFlowLogs", body))
    found = judged(built, collection, flow_logs)
    assert statuses(found) == {
        "core": Status.PASS,
        "edge": Status.WARN,
        "vault": Status.WARN,
        "dark": Status.PASS,  # every function subnet has its own log
        "inspected": Status.PASS,  # the VPC log fails, but the function subnet's log works
    }
    assert "s3://flow-logs-bucket/vpc/core/" in found["core"].summary
    assert "log group edge-flow" in found["edge"].summary
    assert "kinesis-data-firehose" in found["vault"].summary
    assert "subnet flow logs" in found["dark"].summary
    assert "s3://flow-logs-bucket/subnets/" in found["inspected"].summary


def _association(vpc: str, name: str, group: str = "") -> dict[str, Any]:
    return {
        "Id": f"rslvr-frgassoc-{name}",
        "Arn": f"arn:aws:route53resolver:{REGION}:{ACCOUNT}:firewall-rule-group-association/x",
        "FirewallRuleGroupId": f"rslvr-frg-{group or name}",
        "VpcId": vpc,
        "Name": name,
        "Priority": 101,
        "MutationProtection": "ENABLED",
        "Status": "COMPLETE",
        "StatusMessage": "",
        "CreatorRequestId": name,
    }


def dns_stubs(
    built: Built,
    *,
    config_denied: bool = False,
    associated: tuple[str, ...] = ("core", "edge"),
    shared: dict[str, str] | None = None,
    rules: Respond | None = None,
    domain_lists: Respond | None = None,
    domains: Respond | None = None,
) -> Callable[[AwsContext], None]:
    """DNS Firewall in AWS's shape: rule groups on `associated` VPCs, their fail-open settings.

    The configurations come in two pages; the core VPC has none of its own (AWS's default
    applies), and one belongs to a VPC without an association. Each VPC's rule group is
    rslvr-frg-<vpc name> unless `shared` maps the VPC name to another group name. `rules`,
    `domain_lists` and `domains` answer ListFirewallRules, ListFirewallDomainLists and
    ListFirewallDomains when given (moto has none of them).
    """
    groups = shared or {}
    associations = [
        _association(built.vpcs[name], name, groups.get(name, "")) for name in associated
    ]
    pages = [
        [_config(built.vpcs["edge"], "ENABLED", 1), _config("vpc-0other", "ENABLED", 2)],
        [_config(built.vpcs["vault"], "DISABLED", 3)],
    ]

    def configs(params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if config_denied:
            return 400, {"__type": "AccessDeniedException", "message": "denied"}
        if params.get("NextToken") == "page-2":
            return 200, {"FirewallConfigs": pages[1]}
        return 200, {"FirewallConfigs": pages[0], "NextToken": "page-2"}

    def install(ctx: AwsContext) -> None:
        listed = {"FirewallRuleGroupAssociations": associations}
        stub(ctx, "route53resolver", "ListFirewallRuleGroupAssociations", lambda _p: (200, listed))
        stub(ctx, "route53resolver", "ListFirewallConfigs", configs)
        for operation, respond in (
            ("ListFirewallRules", rules),
            ("ListFirewallDomainLists", domain_lists),
            ("ListFirewallDomains", domains),
        ):
            if respond is not None:
                stub(ctx, "route53resolver", operation, respond)

    return install


def _config(vpc: str, fail_open: str, n: int) -> dict[str, Any]:
    return {
        "Id": f"rslvr-fc-{n}",
        "ResourceId": vpc,
        "OwnerId": ACCOUNT,
        "FirewallFailOpen": fail_open,
    }


def test_dns_firewall_associations_real_shape(account: tuple[Built, Any]) -> None:
    built, session = account
    collection = collect(session, stubs=dns_stubs(built))
    dns = collection.inventories[0].get(REGION, DnsFirewallSnapshot)
    assert dns is not None and dns.listing_error is None
    assert {c.vpc_id: c.fail_open for c in dns.configs} == {
        built.vpcs["core"]: "DISABLED",  # listed nowhere: the default
        built.vpcs["edge"]: "ENABLED",
    }
    assert all(c.error is None for c in dns.configs)
    found = judged(built, collection, egress_filtering)
    assert statuses(found) == {
        # Associated and failing closed, but its rules are unread (moto lacks the API): an
        # association alone is no filter (tests/aws/test_dns_firewall_rules.py reads them).
        "core": Status.UNKNOWN,
        "edge": Status.WARN,
        "vault": Status.PASS,
        "dark": Status.PASS,
        "inspected": Status.WARN,  # a GWLB endpoint that is no Network Firewall, no DNS Firewall
    }
    assert "rslvr-frg-core (core) is associated, but its rules could not be read" in (
        found["core"].summary
    )
    assert "FirewallFailOpen is ENABLED" in found["edge"].summary
    assert "no DNS Firewall rule group associated" in found["inspected"].summary


def test_fail_open_of_every_associated_vpc_comes_from_one_listing(
    account: tuple[Built, Any],
) -> None:
    built, session = account
    stubs = dns_stubs(built, associated=("core", "edge", "vault", "dark"))
    collection = collect(session, stubs=stubs)
    dns = collection.inventories[0].get(REGION, DnsFirewallSnapshot)
    assert dns is not None
    assert {c.vpc_id: c.fail_open for c in dns.configs} == {
        built.vpcs["core"]: "DISABLED",
        built.vpcs["edge"]: "ENABLED",
        built.vpcs["vault"]: "DISABLED",  # on the second page
        built.vpcs["dark"]: "DISABLED",
    }
    # One listing of two pages for four VPCs (GetFirewallConfig was one call per VPC).
    assert collection.calls["route53resolver:ListFirewallConfigs"] == 2
    assert "route53resolver:GetFirewallConfig" not in collection.calls


def test_no_association_needs_no_fail_open_setting(account: tuple[Built, Any]) -> None:
    built, session = account
    collection = collect(session, stubs=dns_stubs(built, associated=()))
    dns = collection.inventories[0].get(REGION, DnsFirewallSnapshot)
    assert dns is not None and dns.associations == () and dns.configs == ()
    assert "route53resolver:ListFirewallConfigs" not in collection.calls


def test_dns_firewall_config_denied_is_unknown(account: tuple[Built, Any]) -> None:
    built, session = account
    collection = collect(session, stubs=dns_stubs(built, config_denied=True))
    dns = collection.inventories[0].get(REGION, DnsFirewallSnapshot)
    assert dns is not None
    assert {c.vpc_id: c.error.code if c.error else None for c in dns.configs} == {
        built.vpcs["core"]: "AccessDeniedException",
        built.vpcs["edge"]: "AccessDeniedException",
    }
    found = judged(built, collection, egress_filtering)
    assert found["core"].status is Status.UNKNOWN
    assert "fail-open setting could not be read (AccessDeniedException)" in found["core"].summary
    assert found["edge"].status is Status.UNKNOWN


def firewall_stubs(built: Built) -> Callable[[AwsContext], None]:
    fw_arn = f"arn:aws:network-firewall:{REGION}:{ACCOUNT}:firewall/egress-fw"
    policy_arn = f"arn:aws:network-firewall:{REGION}:{ACCOUNT}:firewall-policy/egress"
    firewall = {
        "Firewall": {
            "FirewallName": "egress-fw",
            "FirewallArn": fw_arn,
            "FirewallId": "0a1b2c3d-0000-4000-8000-00000000f1f1",
            "FirewallPolicyArn": policy_arn,
            "VpcId": built.vpcs["inspected"],
            "SubnetMappings": [{"SubnetId": built.subnets["fw-1"], "IPAddressType": "IPV4"}],
        },
        "FirewallStatus": {
            "Status": "READY",
            "ConfigurationSyncStateSummary": "IN_SYNC",
            "SyncStates": {
                f"{REGION}a": {
                    "Attachment": {
                        "SubnetId": built.subnets["fw-1"],
                        "EndpointId": built.gwlb_endpoint,
                        "Status": "READY",
                    }
                }
            },
        },
    }
    policy = {
        "UpdateToken": "t",
        "FirewallPolicyResponse": {
            "FirewallPolicyName": "egress",
            "FirewallPolicyArn": policy_arn,
            "FirewallPolicyId": "0a1b2c3d-0000-4000-8000-00000000b0b0",
        },
        "FirewallPolicy": {
            "StatelessDefaultActions": ["aws:forward_to_sfe"],
            "StatelessFragmentDefaultActions": ["aws:forward_to_sfe"],
            "StatefulRuleGroupReferences": [{"ResourceArn": f"{policy_arn}-domains"}],
            "StatefulDefaultActions": ["aws:drop_strict"],
        },
    }

    def install(ctx: AwsContext) -> None:
        stub(ctx, "network-firewall", "DescribeFirewall", lambda _p: (200, firewall))
        stub(ctx, "network-firewall", "DescribeFirewallPolicy", lambda _p: (200, policy))

    return install


def test_network_firewall_endpoints_real_shape(account: tuple[Built, Any]) -> None:
    built, session = account
    collection = collect(session, stubs=firewall_stubs(built))
    firewalls = collection.inventories[0].get(REGION, NetworkFirewallSnapshot)
    assert firewalls is not None
    (fw,) = firewalls.firewalls
    assert [(e.availability_zone, e.endpoint_id) for e in fw.endpoints] == [
        (f"{REGION}a", built.gwlb_endpoint)
    ]
    assert fw.policy is not None and fw.policy.stateful_default_actions == ("aws:drop_strict",)
    assert fw.policy.stateful_rule_groups[0].endswith("egress-domains")
    paths = judged(built, collection, egress_path)
    assert paths["scan-fn"].status is Status.PASS
    assert "egress via Network Firewall" in paths["scan-fn"].summary
    filtering = judged(built, collection, egress_filtering)
    assert filtering["inspected"].status is Status.PASS
    assert "passes Network Firewall egress-fw" in filtering["inspected"].summary
