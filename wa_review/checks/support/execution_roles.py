"""Lambda execution roles: walk each in-scope function's role, read its Allow statements, and
tell write actions and the services a role reaches."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from wa_review.checks.support.helpers import Emitter
from wa_review.model.evidence import Evidence, Status
from wa_review.model.inventory import AccountInventory
from wa_review.model.snapshots.iam import (
    IamPolicyDoc,
    IamSnapshot,
    LambdaRole,
    as_strings,
    has_wildcard,
    statement_label,
    statements,
)
from wa_review.model.snapshots.lambda_ import LambdaFunction, LambdaSnapshot

ROLE_DOCS = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html"
LEAST_PRIVILEGE = (
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege"
)

# Verbs that change state or hand out access. An action is "write" when its name (after the
# service prefix) starts with one of these; a wildcard verb counts when it could expand to one
# (`Put*`, `De*`, `*Object`), so `Get*`/`List*`/`Describe*` on Resource "*" are not flagged.
WRITE_VERBS: tuple[str, ...] = (
    "add", "associate", "attach", "authorize", "assume", "batchdelete", "batchput",
    "batchwrite", "cancel", "change", "copy", "create", "delete", "deregister", "detach",
    "disable", "disassociate", "enable", "execute", "grant", "import", "invoke", "modify",
    "partiqldelete", "partiqlinsert", "partiqlupdate", "pass", "post", "publish", "purge",
    "put", "reboot", "register", "remove", "replace", "reset", "restore", "retire", "revoke",
    "rotate", "run", "send", "set", "start", "stop", "tag", "terminate", "transactwrite",
    "untag", "update", "upload", "write",
)  # fmt: skip

# Writes the Lambda runtime itself needs on Resource "*": logging and tracing
# (AWSLambdaBasicExecutionRole, AWSXRayDaemonWriteAccess) and the VPC network interfaces
# (AWSLambdaVPCAccessExecutionRole, whose EC2 actions take no resource-level ARN).
RUNTIME_WRITES = frozenset(
    {
        "logs:createloggroup",
        "logs:createlogstream",
        "logs:putlogevents",
        "xray:puttracesegments",
        "xray:puttelemetryrecords",
        "cloudwatch:putmetricdata",
        "ec2:createnetworkinterface",
        "ec2:deletenetworkinterface",
        "ec2:assignprivateipaddresses",
        "ec2:unassignprivateipaddresses",
    }
)

Judge = Callable[[LambdaFunction, LambdaRole, str], Evidence]


def each_function_role(inv: AccountInventory, emit: Emitter, judge: Judge) -> Iterator[Evidence]:
    """Per in-scope function: `judge(fn, role, region)`, or UNKNOWN when the role is not known."""
    iam = inv.get_global(IamSnapshot)
    for region, snap in inv.each(LambdaSnapshot):
        in_scope = [fn for fn in snap.functions if fn.in_scope]
        if snap.listing_error is not None:  # what was listed before it failed is judged too
            yield emit.listing_failed(
                region, snap.listing_error, "Lambda functions", listed=len(snap.functions)
            )
        elif not in_scope:
            yield emit.not_applicable(region, "Lambda functions")
        for fn in in_scope:
            what = f"the execution role of {fn.name}"
            if iam is None:
                yield emit(
                    Status.UNKNOWN, fn.arn, region, f"Could not check {what}: IAM was not read"
                )
                continue
            role = iam.role_for(fn.role)  # a role listed before a page failed is judged
            if role is None and iam.listing_error is not None:
                yield emit.unknown(fn.arn, region, iam.listing_error, what)
            else:
                if role is None:
                    yield emit(
                        Status.UNKNOWN,
                        fn.arn,
                        region,
                        f"{fn.name}: role {role_name(fn.role)} is not among the roles Lambda may "
                        "assume that IAM listed",
                        role=fn.role,
                    )
                else:
                    yield judge(fn, role, region)


def role_name(arn: str) -> str:
    return arn.rsplit("/", 1)[-1]


def _allows(doc: IamPolicyDoc) -> Iterator[tuple[str, dict[str, Any]]]:
    for index, statement in enumerate(statements(doc.document)):
        if statement.get("Effect") == "Allow":
            yield statement_label(statement, index), statement


def is_write_action(action: str) -> bool:
    if action.lower() in RUNTIME_WRITES:
        return False
    verb = action.split(":", 1)[-1].lower()
    literal = verb.split("*", 1)[0].split("?", 1)[0]
    if literal != verb:  # a wildcard: write when it could expand to a write verb
        return any(v.startswith(literal) or literal.startswith(v) for v in WRITE_VERBS)
    return verb.startswith(WRITE_VERBS)


def wildcard_findings(doc: IamPolicyDoc) -> list[dict[str, Any]]:
    """Allow statements of one policy that grant every action, a whole service, or writes on *."""
    found: list[dict[str, Any]] = []
    for label, statement in _allows(doc):
        base = {"policy": doc.name, "policy_arn": doc.arn, "statement": label}
        if "NotAction" in statement:
            found.append(
                {
                    **base,
                    "reason": "Allow with NotAction grants every action not listed",
                    "actions": list(as_strings(statement["NotAction"])),
                    "statement_json": statement,
                }
            )
            continue
        actions = as_strings(statement.get("Action"))
        whole = [a for a in actions if a == "*" or a.split(":", 1)[-1] == "*"]
        on_all = "NotResource" in statement or "*" in as_strings(statement.get("Resource"))
        writes = [a for a in actions if a not in whole and is_write_action(a)] if on_all else []
        if whole:
            reason = "every action" if "*" in whole else "every action of a service"
            found.append({**base, "reason": reason, "actions": whole, "statement_json": statement})
        if writes:
            found.append(
                {
                    **base,
                    "reason": 'write actions on Resource "*"',
                    "actions": writes,
                    "statement_json": statement,
                }
            )
    return found


def services_of(role: LambdaRole) -> tuple[set[str], bool]:
    """Services the role's Allow statements act on, and whether that is every service."""
    services: set[str] = set()
    for doc in role.policies:
        for _label, statement in _allows(doc):
            if "NotAction" in statement:
                return services, True
            for action in as_strings(statement.get("Action")):
                prefix = action.split(":", 1)[0].lower() if ":" in action else "*"
                if has_wildcard(prefix):
                    return services, True
                services.add(prefix)
    return services, False
