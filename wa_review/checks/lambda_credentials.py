"""Temporary credentials: one execution role per function, no keys in the code's config (a4)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from wa_review.checks.support.execution_roles import each_function_role, role_name
from wa_review.checks.support.helpers import Emitter
from wa_review.checks.support.registry import check
from wa_review.model.evidence import Evidence, Severity, Status
from wa_review.model.inventory import AccountInventory, CheckConfig
from wa_review.model.snapshots.iam import LambdaRole
from wa_review.model.snapshots.lambda_ import LambdaFunction, LambdaSnapshot

ROLE_DOCS = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html"


def _role_users(
    inv: AccountInventory,
) -> tuple[dict[str, list[tuple[str, LambdaFunction]]], list[str]]:
    """Every function of the account (in scope or not, any region) by role; unreadable regions."""
    users: dict[str, list[tuple[str, LambdaFunction]]] = defaultdict(list)
    unread: list[str] = []
    for region, snap in inv.each(LambdaSnapshot):
        if snap.listing_error is not None:
            unread.append(region)
        for fn in snap.functions:
            users[_key(fn.role)].append((region, fn))
    return users, unread


def _key(role_arn: str) -> str:
    # Role names are unique per account and case-insensitive; the path may be spelt either way.
    return role_name(role_arn).lower()


@check(
    "lambda.unique_execution_role",
    title="Each function has its own execution role",
    severity=Severity.MEDIUM,
    service="lambda",
    rationale="Lambda hands a function temporary credentials for its execution role. A role "
    "shared between functions gives each of them the union of what all of them need, so one "
    "compromised function can use the others' access.",
    remediation="Create one role per function with only the permissions that function needs "
    "(AWS SAM and the CDK do this by default when no role is named).",
    references=(
        ROLE_DOCS,
        "https://docs.aws.amazon.com/lambda/latest/operatorguide/least-privilege.html",
    ),
)
def unique_execution_role(
    inv: AccountInventory, cfg: CheckConfig, emit: Emitter
) -> Iterator[Evidence]:
    users, unread = _role_users(inv)

    def judge(fn: LambdaFunction, role: LambdaRole, region: str) -> Evidence:
        sharing = sorted(users[_key(fn.role)], key=lambda item: (item[1].name, item[0]))
        others = [(r, f) for r, f in sharing if f.arn != fn.arn]
        if others:
            names = ", ".join(f.name if r == region else f"{f.name} ({r})" for r, f in sharing)
            return emit(
                Status.WARN,
                fn.arn,
                region,
                f"{fn.name}: role {role.name} is shared by {names}",
                role=role.arn,
                other_functions=[f.arn for _r, f in others],
            )
        note = f" (functions in {', '.join(unread)} could not be listed)" if unread else ""
        return emit(
            Status.PASS,
            fn.arn,
            region,
            f"{fn.name}: role {role.name} is used by no other function{note}",
            role=role.arn,
            unread_regions=unread,
        )

    yield from each_function_role(inv, emit, judge)


@check(
    "lambda.no_static_credentials",
    title="Functions hold no long-term AWS keys in environment variables",
    severity=Severity.HIGH,
    service="lambda",
    rationale="Functions get short-lived credentials from their execution role. Access keys "
    "stored in environment variables never expire, are readable by anyone who can read the "
    "function's configuration, and bypass the role's boundary.",
    remediation="Remove the variables, deactivate and delete the keys, and grant the access "
    "through the execution role; keep other secrets in Secrets Manager or Parameter Store.",
    references=(
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp.html",
    ),
)
def no_static_credentials(
    inv: AccountInventory, cfg: CheckConfig, emit: Emitter
) -> Iterator[Evidence]:
    for region, snap in inv.each(LambdaSnapshot):
        in_scope = [fn for fn in snap.functions if fn.in_scope]
        if snap.listing_error is not None:  # what was listed before it failed is judged too
            yield emit.listing_failed(
                region, snap.listing_error, "Lambda functions", listed=len(snap.functions)
            )
        elif not in_scope:
            yield emit.not_applicable(region, "Lambda functions")
        for fn in in_scope:
            # Names only: the collector dropped every value before the snapshot was built.
            found = list(fn.static_credential_vars)
            if found:
                yield emit(
                    Status.FAIL,
                    fn.arn,
                    region,
                    f"{fn.name}: environment variables {', '.join(found)} hold or name AWS keys",
                    variables=found,
                )
            else:
                yield emit(
                    Status.PASS,
                    fn.arn,
                    region,
                    f"{fn.name}: no environment variable holds or names AWS keys "
                    f"({len(fn.env_var_names)} checked)",
                )
