"""What the airline holds in the services moto does not emulate: its IAM Access Analyzer
analyzer and findings, and its Route 53 Resolver DNS Firewall (see `extra_apis.py`).

The story matches the rest of the account: the airline VPC's egress is an allow-list (partners
and AWS only, malware domains blocked, everything else blocked); the legacy VPC has no DNS
Firewall. Access Analyzer reports the resources the account opens to the world or to the
partner account, the same ones wa-review's own policy judgement finds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wa_review.demo.network import REGION

ACCOUNT = "123456789012"
PARTNER_ACCOUNT = "444455556666"
CREATED = "2026-01-12T09:30:00Z"
ANALYZER_ARN = f"arn:aws:access-analyzer:{REGION}:{ACCOUNT}:analyzer/airline-account-analyzer"
MANAGED_OWNER = "Route 53 Resolver DNS Firewall"


def analyzers() -> list[dict[str, Any]]:
    return [
        {
            "arn": ANALYZER_ARN,
            "name": "airline-account-analyzer",
            "type": "ACCOUNT",
            "createdAt": CREATED,
            "lastResourceAnalyzedAt": CREATED,
            "status": "ACTIVE",
        }
    ]


def _finding(
    number: int, resource: str, kind: str, actions: list[str], principal: str = "*"
) -> dict[str, Any]:
    return {
        "id": f"5c1e7a2b-0000-4000-8000-{number:012d}",
        "principal": {"AWS": principal},
        "action": actions,
        "resource": resource,
        "isPublic": principal == "*",
        "resourceType": kind,
        "condition": {},
        "createdAt": CREATED,
        "analyzedAt": CREATED,
        "updatedAt": CREATED,
        "status": "ACTIVE",
        "resourceOwnerAccount": ACCOUNT,
    }


def findings() -> list[dict[str, Any]]:
    """ACTIVE findings of the account analyzer, oldest first."""
    lam, here = f"arn:aws:lambda:{REGION}:{ACCOUNT}", f"{REGION}:{ACCOUNT}"
    return [
        _finding(
            1,
            f"{lam}:function:flight-status",
            "AWS::Lambda::Function",
            ["lambda:InvokeFunctionUrl"],
        ),
        _finding(
            2,
            f"{lam}:function:notify-booking",
            "AWS::Lambda::Function",
            ["lambda:InvokeFunction"],
            principal=PARTNER_ACCOUNT,
        ),
        _finding(
            3, f"{lam}:layer:pdf-render:1", "AWS::Lambda::LayerVersion", ["lambda:GetLayerVersion"]
        ),
        _finding(4, f"arn:aws:sns:{here}:partner-fare-feed", "AWS::SNS::Topic", ["sns:Subscribe"]),
        _finding(5, f"arn:aws:sqs:{here}:payments-dlq", "AWS::SQS::Queue", ["sqs:SendMessage"]),
        _finding(
            6,
            f"arn:aws:dynamodb:{here}:table/fare-cache",
            "AWS::DynamoDB::Table",
            ["dynamodb:GetItem"],
        ),
        _finding(
            7, f"arn:aws:s3:::airline-frontend-{ACCOUNT}", "AWS::S3::Bucket", ["s3:GetObject"]
        ),
        _finding(
            8, f"arn:aws:s3:::airline-press-kit-{ACCOUNT}", "AWS::S3::Bucket", ["s3:ListBucket"]
        ),
    ]


@dataclass(frozen=True, slots=True)
class DomainList:
    id: str
    name: str
    domains: tuple[str, ...]
    managed: bool = False

    def summary(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "Id": self.id,
            "Arn": f"arn:aws:route53resolver:{REGION}:{ACCOUNT}:firewall-domain-list/{self.id}",
            "Name": self.name,
        }
        if self.managed:
            found["ManagedOwnerName"] = MANAGED_OWNER
        return found


PARTNERS = DomainList(
    "rslvr-fdl-airlinepartners",
    "airline-partners",
    ("payments.partner-bank.example.", "fares.partner-gds.example.", "*.amazonaws.com."),
)
MALWARE = DomainList("rslvr-fdl-awsmalware", "AWSManagedDomainsMalwareDomainList", (), True)
EVERYTHING = DomainList("rslvr-fdl-everythingelse", "everything-else", ("*",))
DOMAIN_LISTS = (PARTNERS, MALWARE, EVERYTHING)
RULE_GROUP = "rslvr-frg-airlineegress"


def rules(group_id: str) -> list[dict[str, Any]]:
    """The airline's egress allow-list: partners allowed, malware and then the rest blocked."""
    if group_id != RULE_GROUP:
        return []

    def rule(name: str, priority: int, action: str, listed: DomainList) -> dict[str, Any]:
        found = {
            "FirewallRuleGroupId": RULE_GROUP,
            "FirewallDomainListId": listed.id,
            "Name": name,
            "Priority": priority,
            "Action": action,
            "CreationTime": CREATED,
        }
        if action == "BLOCK":
            found["BlockResponse"] = "NXDOMAIN"
        return found

    return [
        rule("allow-partners", 100, "ALLOW", PARTNERS),
        rule("block-malware", 200, "BLOCK", MALWARE),
        rule("block-everything-else", 300, "BLOCK", EVERYTHING),
    ]


def associations(airline_vpc: str) -> list[dict[str, Any]]:
    """Only the airline VPC is filtered; the legacy VPC never got a rule group."""
    return [
        {
            "Id": "rslvr-frgassoc-airlinevpc",
            "Arn": f"arn:aws:route53resolver:{REGION}:{ACCOUNT}:"
            "firewall-rule-group-association/rslvr-frgassoc-airlinevpc",
            "FirewallRuleGroupId": RULE_GROUP,
            "VpcId": airline_vpc,
            "Name": "airline-vpc-egress",
            "Priority": 101,
            "MutationProtection": "ENABLED",
            "Status": "COMPLETE",
            "CreationTime": CREATED,
        }
    ]


def configs(airline_vpc: str) -> list[dict[str, Any]]:
    return [
        {
            "Id": "rslvr-fc-airlinevpc",
            "ResourceId": airline_vpc,
            "OwnerId": ACCOUNT,
            "FirewallFailOpen": "DISABLED",
        }
    ]


def domains(list_id: str) -> list[str]:
    return next((list(d.domains) for d in DOMAIN_LISTS if d.id == list_id), [])
