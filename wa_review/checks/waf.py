"""WAF web ACLs that protect in-scope API stages and GraphQL APIs: rules and logging (a2)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from wa_review.checks.support.helpers import Emitter
from wa_review.checks.support.network_scope import not_collected
from wa_review.checks.support.registry import check
from wa_review.checks.support.waf_rules import acl_coverage, rule_details
from wa_review.model.evidence import Evidence, FetchError, Severity, Status
from wa_review.model.inventory import AccountInventory, CheckConfig
from wa_review.model.snapshots.wafv2 import WafSnapshot, WebAcl

WHAT = "web ACLs protecting in-scope API stages or GraphQL APIs"
WAF_DOCS = "https://docs.aws.amazon.com/waf/latest/developerguide/web-acl.html"


@dataclass(frozen=True, slots=True)
class Target:
    """An in-scope resource WAF can protect, with the web ACL it reports for itself."""

    label: str
    arn: str
    web_acl_arn: str | None


def _targets(inv: AccountInventory, region: str) -> tuple[list[Target] | None, list[FetchError]]:
    """In-scope REST API stages and GraphQL APIs; None when neither snapshot was collected."""
    from wa_review.model.snapshots.apigateway import ApiGatewaySnapshot
    from wa_review.model.snapshots.appsync import AppSyncSnapshot

    apigw = inv.get(region, ApiGatewaySnapshot)
    appsync = inv.get(region, AppSyncSnapshot)
    if apigw is None and appsync is None:
        return None, []
    targets: list[Target] = []
    errors: list[FetchError] = []
    if apigw is not None:
        if apigw.listing_error is not None:
            errors.append(apigw.listing_error)
        for api in (a for a in apigw.rest_apis if a.in_scope):
            if api.stages_error is not None:
                errors.append(api.stages_error)
            targets += [
                Target(f"REST API {api.name} stage {s.name}", s.arn, s.web_acl_arn)
                for s in api.stages
            ]
    if appsync is not None:
        if appsync.listing_error is not None:
            errors.append(appsync.listing_error)
        for gql in (a for a in appsync.apis if a.in_scope):
            targets.append(Target(f"GraphQL API {gql.name}", gql.arn, gql.waf_web_acl_arn))
    return targets, errors


def _protecting(
    waf: WafSnapshot, targets: list[Target] | None
) -> tuple[list[tuple[WebAcl, list[str]]], list[Target]]:
    """Web ACLs that protect a target (with the targets' labels), and targets whose ACL is unknown.

    list_resources_for_web_acl is the ACL's own answer; when it is unavailable the stage's
    webAclArn and the GraphQL API's wafWebAclArn say the same from the other side.
    """
    found: list[tuple[WebAcl, list[str]]] = []
    for acl in waf.web_acls:
        if targets is None:  # no API snapshot: every associated resource counts
            labels = list(acl.resources)
        else:
            labels = [
                t.label for t in targets if t.arn in acl.resources or t.web_acl_arn == acl.arn
            ]
        if labels:
            found.append((acl, labels))
    arns = {acl.arn for acl in waf.web_acls}
    orphans = [t for t in targets or () if t.web_acl_arn and t.web_acl_arn not in arns]
    return found, orphans


def _each_acl(
    inv: AccountInventory, emit: Emitter, judge: Callable[[WebAcl, list[str], str], Evidence]
) -> Iterator[Evidence]:
    for region in inv.regions():
        waf = inv.get(region, WafSnapshot)
        targets, errors = _targets(inv, region)
        if (targets == [] and not errors) or (targets is None and waf is None):
            yield emit.not_applicable(region, WHAT)
            continue
        if waf is None:
            error = not_collected("wafv2", "ListWebACLs", region, inv.account)
            yield emit.unknown("", region, error, "WAF web ACLs")
            continue
        if waf.listing_error is not None:
            yield emit.unknown("", region, waf.listing_error, "WAF web ACLs")
            continue
        for error in errors:
            yield emit.unknown("", region, error, "which web ACLs protect in-scope APIs")
        acls, orphans = _protecting(waf, targets)
        for target in orphans:
            yield emit(
                Status.UNKNOWN,
                str(target.web_acl_arn),
                region,
                f"{target.label} is protected by {target.web_acl_arn}, which is not a REGIONAL "
                "WAFv2 web ACL of this account (WAF Classic?), so it was not read",
            )
        if not acls and not orphans and not errors:
            yield emit.not_applicable(region, WHAT)
        for acl, labels in acls:
            yield judge(acl, labels, region)


@check(
    "waf.rule_coverage",
    title="Web ACLs on APIs block SQL injection, common exploits and floods",
    severity=Severity.HIGH,
    service="wafv2",
    rationale="A web ACL protects an API only through its rules: SQL injection and cross-site "
    "scripting rules (or the AWS managed SQLi and core rule sets), IP sets, geo match and rate-based "
    "rules. Rules left in Count mode, or an ACL that allows by default with nothing that blocks, "
    "only observe.",
    remediation="Add AWSManagedRulesCommonRuleSet, AWSManagedRulesSQLiRuleSet and a rate-based rule "
    "to the web ACL, and move rules out of Count once tuned.",
    references=(
        WAF_DOCS,
        "https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html",
        "https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html",
    ),
)
def rule_coverage(inv: AccountInventory, cfg: CheckConfig, emit: Emitter) -> Iterator[Evidence]:

    def judge(acl: WebAcl, labels: list[str], region: str) -> Evidence:
        if acl.error is not None:
            return emit.unknown(acl.arn, region, acl.error, f"the rules of web ACL {acl.name}")
        cov = acl_coverage(acl)
        has = ", ".join(c.value for c in cov.has) or "nothing"
        lacks = ", ".join(c.value for c in cov.lacks) or "nothing"
        text = f"web ACL {acl.name} (on {', '.join(labels)}): has {has}; lacks {lacks}"
        warnings = list(cov.counting)
        if acl.default_action == "Allow" and not cov.blocking:
            warnings.append("DefaultAction is Allow and no rule blocks")
        if warnings:
            text += "; " + "; ".join(warnings)
        if not cov.essential:
            status = Status.FAIL
            text += "; no SQL injection rule, common rule set or rate-based rule"
        else:
            status = Status.WARN if warnings else Status.PASS
        return emit(
            status,
            acl.arn,
            region,
            text,
            protects=labels,
            default_action=acl.default_action,
            has=[c.value for c in cov.has],
            lacks=[c.value for c in cov.lacks],
            count_mode=list(cov.counting),
            managed_groups=list(cov.managed_groups),
            rules=rule_details(acl),
        )

    yield from _each_acl(inv, emit, judge)


@check(
    "waf.logging",
    title="Web ACLs on APIs log requests",
    severity=Severity.MEDIUM,
    service="wafv2",
    rationale="Without logging there is no record of what the web ACL blocked or let through, so "
    "rules cannot be tuned and attacks cannot be investigated.",
    remediation="Enable logging on the web ACL (`aws wafv2 put-logging-configuration`) to CloudWatch "
    "Logs (a log group named aws-waf-logs-*), S3 or Firehose.",
    references=(
        "https://docs.aws.amazon.com/waf/latest/developerguide/logging.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/waf-controls.html#waf-11",
    ),
)
def waf_logging(inv: AccountInventory, cfg: CheckConfig, emit: Emitter) -> Iterator[Evidence]:

    def judge(acl: WebAcl, labels: list[str], region: str) -> Evidence:
        on = f"(on {', '.join(labels)})"
        if acl.logging_error is not None:
            return emit.unknown(
                acl.arn, region, acl.logging_error, f"logging of web ACL {acl.name}"
            )
        if acl.logging_destinations:
            return emit(
                Status.PASS,
                acl.arn,
                region,
                f"web ACL {acl.name} {on} logs to {', '.join(acl.logging_destinations)}",
                destinations=list(acl.logging_destinations),
            )
        return emit(
            Status.FAIL,
            acl.arn,
            region,
            f"web ACL {acl.name} {on} has no logging configuration",
        )

    yield from _each_acl(inv, emit, judge)
