"""VPC-wide evidence for function VPCs: endpoints to AWS services and flow logs (practice a2)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from wa_review.checks.support.helpers import Emitter, judge_document, reasons_of
from wa_review.checks.support.network_scope import (
    RegionNetwork,
    names,
    unresolved_functions,
    vpc_networks,
)
from wa_review.checks.support.registry import check
from wa_review.model.evidence import Evidence, Severity, Status, worst
from wa_review.model.inventory import AccountInventory, CheckConfig
from wa_review.model.snapshots.ec2 import FlowLog, VpcEndpoint
from wa_review.model.snapshots.lambda_ import LambdaFunction
from wa_review.policy import AccessClass, Verdict

GATEWAY_SERVICES = ("s3", "dynamodb")
# Services serverless functions commonly call; reported when present, never required.
INTERFACE_SERVICES = ("sqs", "sns", "events", "lambda", "logs", "sts", "secretsmanager", "kms")


def _describe(endpoint: VpcEndpoint) -> str:
    text = f"{endpoint.short_service} ({endpoint.type.lower()}"
    if endpoint.type == "Interface":
        text += ", private DNS" if endpoint.private_dns else ", private DNS off"
    return text + ")"


def _open_policies(
    endpoints: list[VpcEndpoint], net: RegionNetwork, cfg: CheckConfig
) -> tuple[list[str], list[dict[str, Any]]]:
    """Endpoints whose policy lets any principal do anything it allows, unconditioned."""
    texts: list[str] = []
    details: list[dict[str, Any]] = []
    for endpoint in endpoints:
        # Gateway Load Balancer endpoints take no policy (moto still reports the default).
        if not endpoint.policy or endpoint.type == "GatewayLoadBalancer":
            continue
        arn = f"arn:aws:ec2:{net.region}:{net.account}:vpc-endpoint/{endpoint.id}"
        verdict: Verdict | str = judge_document(endpoint.policy, net.account, "generic", arn, cfg)
        if isinstance(verdict, str):
            texts.append(f"{endpoint.id} ({endpoint.short_service}): {verdict}")
        elif AccessClass.PUBLIC in verdict.classes:
            texts.append(f"{endpoint.id} ({endpoint.short_service})")
            details.append(
                {"endpoint": endpoint.id, "reasons": reasons_of(verdict, AccessClass.PUBLIC)}
            )
    return texts, details


@check(
    "vpc.endpoints_for_services",
    title="Isolated function VPCs reach AWS services through VPC endpoints",
    severity=Severity.MEDIUM,
    service="ec2",
    rationale="A VPC without internet egress reaches AWS APIs only through VPC endpoints: gateway "
    "endpoints for S3 and DynamoDB on the function route tables, interface endpoints with private "
    "DNS for the rest. Endpoint policies can then limit what the functions may reach.",
    remediation="Add gateway endpoints for S3 and DynamoDB to the function route tables and interface "
    "endpoints (private DNS on) for the services the functions call; replace the default full-access "
    "endpoint policy with one naming your principals or resources.",
    references=(
        "https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html",
        "https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html",
        "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html",
    ),
)
def endpoints_for_services(
    inv: AccountInventory, cfg: CheckConfig, emit: Emitter
) -> Iterator[Evidence]:
    needs = (lambda ec2: ec2.endpoints_error, "VPC endpoints")
    for item in vpc_networks(inv, emit, needs=needs):
        if isinstance(item, Evidence):
            yield item
            continue
        for vpc_id, functions in item.by_vpc().items():
            yield _judge_endpoints(emit, item, vpc_id, functions, cfg)
        yield from unresolved_functions(emit, item)


def _judge_endpoints(
    emit: Emitter,
    net: RegionNetwork,
    vpc_id: str,
    functions: list[LambdaFunction],
    cfg: CheckConfig,
) -> Evidence:
    arn = net.vpc(vpc_id).arn
    subnets = sorted({s for f in functions for s in net.known_subnets(f)})
    paths = [net.index.path(s) for s in subnets]
    tables = sorted({p.route_table_id for p in paths if p.route_table_id})
    endpoints = [e for e in net.ec2.endpoints if e.vpc_id == vpc_id]
    present = ", ".join(_describe(e) for e in endpoints) or "none"
    open_texts, open_details = _open_policies(endpoints, net, cfg)
    details: dict[str, Any] = {
        "subnets": subnets,
        "route_tables": tables,
        "endpoints": [
            {"id": e.id, "service": e.service_name, "type": e.type, "state": e.state}
            for e in endpoints
        ],
        "open_policies": open_details,
    }
    open_note = (
        "; endpoint policies allow any principal without condition: " + ", ".join(open_texts)
        if open_texts
        else ""
    )
    egress = sorted({p.kind.value for p in paths if p.kind.has_egress})
    if egress:
        # Only VPCs without a default route depend on endpoints; elsewhere they are optional.
        summary = (
            f"{vpc_id}: functions {names(functions)} have egress via {', '.join(egress)}, so "
            f"endpoints are not required (they are judged only in VPCs without internet "
            f"egress); present: {present}{open_note}"
        )
        return emit(Status.WARN if open_texts else Status.PASS, arn, net.region, summary, **details)
    if not endpoints:
        return emit(
            Status.FAIL,
            arn,
            net.region,
            f"{vpc_id}: no default route on {', '.join(subnets)} and no VPC endpoints: functions "
            f"{names(functions)} cannot reach any AWS API",
            **details,
        )
    problems = _gaps(endpoints, tables)
    found = {e.short_service for e in endpoints}
    absent = [s for s in INTERFACE_SERVICES if s not in found]
    note = f"; no endpoint for {', '.join(absent)} (needed only if the functions call them)"
    summary = f"{vpc_id}: isolated; endpoints {present}"
    if problems:
        summary += "; " + "; ".join(problems)
    details["problems"] = problems
    status = Status.WARN if problems or open_texts else Status.PASS
    return emit(status, arn, net.region, summary + open_note + (note if absent else ""), **details)


def _gaps(endpoints: list[VpcEndpoint], tables: list[str]) -> list[str]:
    problems: list[str] = []
    for service in GATEWAY_SERVICES:
        gateways = [e for e in endpoints if e.short_service == service and e.type == "Gateway"]
        interfaces = [e for e in endpoints if e.short_service == service and e.type == "Interface"]
        if gateways:
            attached = {t for e in gateways for t in e.route_table_ids}
            missing = [t for t in tables if t not in attached]
            if missing:
                problems.append(
                    f"the {service} gateway endpoint is not on route table(s) {', '.join(missing)}"
                )
        elif not interfaces:
            problems.append(f"no {service} gateway endpoint")
    for endpoint in endpoints:
        if endpoint.state != "available":
            problems.append(f"{endpoint.id} ({endpoint.short_service}) is {endpoint.state}")
        if endpoint.type == "Interface" and not endpoint.private_dns:
            problems.append(
                f"{endpoint.id} ({endpoint.short_service}) has private DNS off, so SDK calls to "
                "the regional name do not use it"
            )
    return problems


def _grade(log: FlowLog) -> tuple[Status, str]:
    label = f"{log.id} ({log.traffic_type} traffic to {log.destination_label})"
    if log.status != "ACTIVE":
        return Status.FAIL, f"{log.id} is {log.status or 'not active'}"
    if log.deliver_status and log.deliver_status != "SUCCESS":
        return Status.FAIL, f"{label} cannot deliver: {log.deliver_error or log.deliver_status}"
    if log.destination_type not in ("cloud-watch-logs", "s3"):
        return Status.WARN, f"{label}: confirm {log.destination_type} lands in durable storage"
    if log.traffic_type == "ALL":
        return Status.PASS, label
    if log.traffic_type == "REJECT":
        return Status.WARN, f"{label}: records rejected traffic only"
    return Status.FAIL, f"{label}: records accepted traffic only, so blocked attempts go unseen"


def _best(logs: list[FlowLog]) -> tuple[Status, str] | None:
    graded = [_grade(log) for log in logs]
    return min(graded, key=lambda g: g[0].rank) if graded else None


@check(
    "vpc.flow_logs",
    title="Function VPCs record all traffic with VPC Flow Logs",
    severity=Severity.MEDIUM,
    service="ec2",
    rationale="Flow logs are how you audit where function traffic goes. A log must be active, "
    "delivering, and record ALL traffic: REJECT-only misses what got through, ACCEPT-only misses "
    "blocked attempts.",
    remediation="Create a flow log on the VPC (`aws ec2 create-flow-logs --resource-type VPC "
    "--traffic-type ALL`) to CloudWatch Logs or S3, and fix delivery permissions if it reports "
    "FAILED.",
    references=(
        "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-6",
    ),
)
def flow_logs(inv: AccountInventory, cfg: CheckConfig, emit: Emitter) -> Iterator[Evidence]:
    needs = (lambda ec2: ec2.flow_logs_error, "VPC flow logs")
    for item in vpc_networks(inv, emit, needs=needs):
        if isinstance(item, Evidence):
            yield item
            continue
        for vpc_id, functions in item.by_vpc().items():
            yield _judge_flow_logs(emit, item, vpc_id, functions)
        yield from unresolved_functions(emit, item)


def _judge_flow_logs(
    emit: Emitter, net: RegionNetwork, vpc_id: str, functions: list[LambdaFunction]
) -> Evidence:
    arn = net.vpc(vpc_id).arn
    subnets = sorted({s for f in functions for s in net.known_subnets(f)})
    vpc_logs = [log for log in net.ec2.flow_logs if log.resource_id == vpc_id]
    details: dict[str, Any] = {
        "flow_logs": [
            {
                "id": log.id,
                "resource": log.resource_id,
                "status": log.status,
                "delivery": log.deliver_status,
                "destination": log.destination_label,
                "traffic": log.traffic_type,
            }
            for log in net.ec2.flow_logs
            if log.resource_id == vpc_id or log.resource_id in subnets
        ]
    }
    candidates: list[tuple[Status, str]] = []
    vpc_best = _best(vpc_logs)
    if vpc_best is not None:
        candidates.append((vpc_best[0], f"VPC flow log {vpc_best[1]}"))
    per_subnet = {
        s: _best([lg for lg in net.ec2.flow_logs if lg.resource_id == s]) for s in subnets
    }
    if any(per_subnet.values()):
        texts = [f"{s}: {g[1]}" if g else f"{s}: no flow log" for s, g in per_subnet.items()]
        subnets_status = worst(g[0] if g else Status.FAIL for g in per_subnet.values())
        candidates.append((subnets_status, "subnet flow logs " + "; ".join(texts)))
    if not candidates:
        return emit(
            Status.FAIL,
            arn,
            net.region,
            f"{vpc_id}: no flow log on the VPC or on function subnets {', '.join(subnets)}; "
            f"functions {names(functions)} use it",
            **details,
        )
    status, text = min(candidates, key=lambda c: c[0].rank)
    return emit(status, arn, net.region, f"{vpc_id}: {text}", **details)
