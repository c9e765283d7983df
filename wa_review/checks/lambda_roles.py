"""Execution-role breadth: how many services one function's role reaches (practice a3)."""

from __future__ import annotations

from collections.abc import Iterator

from wa_review.checks.support.execution_roles import (
    ROLE_DOCS,
    each_function_role,
    services_of,
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
    "lambda.function_role_breadth",
    title="Function roles act on few services (single-purpose functions)",
    severity=Severity.MEDIUM,
    service="lambda",
    rationale="A function whose role reaches many services is doing many jobs; smaller, "
    "single-purpose functions with their own narrow roles limit what one compromise can touch.",
    remediation="Split the function by responsibility and give each part its own role "
    "(AWS SAM creates one per function), or remove permissions the code does not use "
    "(IAM last-accessed information shows them).",
    references=(
        ROLE_DOCS,
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_last-accessed.html",
    ),
)
def function_role_breadth(
    inv: AccountInventory, cfg: CheckConfig, emit: Emitter
) -> Iterator[Evidence]:

    def judge(fn: LambdaFunction, role: LambdaRole, region: str) -> Evidence:
        services, everything = services_of(role)
        names = sorted(services)
        if everything:
            return emit(
                Status.WARN,
                fn.arn,
                region,
                f"{fn.name}: role {role.name} can act on every service",
                role=role.arn,
                services=["*"],
            )
        if len(names) > cfg.max_role_services:
            return emit(
                Status.WARN,
                fn.arn,
                region,
                f"{fn.name}: role {role.name} can act on {len(names)} services "
                f"(more than {cfg.max_role_services}): {', '.join(names)}",
                role=role.arn,
                services=names,
            )
        error = role.first_error()
        if error is not None:
            return emit.unknown(fn.arn, region, error, f"the policies of role {role.name}")
        listed = ", ".join(names) if names else "none"
        return emit(
            Status.PASS,
            fn.arn,
            region,
            f"{fn.name}: role {role.name} can act on {plural(len(names), 'service')} ({listed})",
            role=role.arn,
            services=names,
        )

    yield from each_function_role(inv, emit, judge)
