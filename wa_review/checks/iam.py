"""Execution-role permissions: no wildcard actions or writes on every resource (practice a3)."""

from __future__ import annotations

from collections.abc import Iterator

from wa_review.checks.support.execution_roles import (
    LEAST_PRIVILEGE,
    ROLE_DOCS,
    each_function_role,
    wildcard_findings,
)
from wa_review.checks.support.helpers import Emitter, plural
from wa_review.checks.support.registry import check
from wa_review.model.evidence import Evidence, Severity, Status
from wa_review.model.inventory import AccountInventory, CheckConfig
from wa_review.model.snapshots.iam import (
    LambdaRole,
)
from wa_review.model.snapshots.lambda_ import LambdaFunction


@check(
    "iam.function_role_wildcards",
    title="Function roles grant no wildcard actions or writes on every resource",
    severity=Severity.HIGH,
    service="iam",
    rationale="A function should be able to do only its job. Action '*' or 'service:*', "
    "NotAction Allows, or write actions (Put*, Delete*, Update*, Create*, Send*, Publish*, "
    "Invoke*, Write*, Pass*, ...) on Resource '*' let a compromised function reach far beyond it. "
    "Logging, tracing and VPC network-interface writes the Lambda runtime needs are exempt.",
    remediation="Replace wildcards with the specific actions the function calls and the ARNs "
    "of the resources it uses (AWS SAM policy templates, or IAM Access Analyzer policy "
    "generation from CloudTrail).",
    references=(ROLE_DOCS, LEAST_PRIVILEGE),
)
def function_role_wildcards(
    inv: AccountInventory, cfg: CheckConfig, emit: Emitter
) -> Iterator[Evidence]:

    def judge(fn: LambdaFunction, role: LambdaRole, region: str) -> Evidence:
        found = [f for doc in role.policies for f in wildcard_findings(doc)]
        if found:
            named = "; ".join(
                f"{f['policy']} {f['statement']}: {f['reason']} ({', '.join(f['actions'])})"
                for f in found
            )
            return emit(
                Status.FAIL,
                fn.arn,
                region,
                f"{fn.name}: role {role.name} allows {named}",
                role=role.arn,
                findings=found,
            )
        error = role.first_error()
        if error is not None:
            return emit.unknown(fn.arn, region, error, f"the policies of role {role.name}")
        return emit(
            Status.PASS,
            fn.arn,
            region,
            f"{fn.name}: role {role.name} grants no wildcard actions or writes on every resource "
            f"({plural(len(role.policies), 'policy', 'policies')} read)",
            role=role.arn,
            policies=[p.label for p in role.policies],
        )

    yield from each_function_role(inv, emit, judge)
