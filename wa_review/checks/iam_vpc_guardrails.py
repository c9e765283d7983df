"""Guardrails that keep functions in the VPC: lambda:VpcIds-style condition keys (practice a2)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from wa_review.checks.support.helpers import Emitter
from wa_review.checks.support.registry import check
from wa_review.model.evidence import Evidence, Severity, Status
from wa_review.model.inventory import AccountInventory, CheckConfig
from wa_review.model.snapshots.iam import (
    IamSnapshot,
    as_strings,
    covers_action,
    statement_label,
    statements,
)
from wa_review.model.snapshots.lambda_ import LambdaSnapshot
from wa_review.model.snapshots.organizations import OrganizationsSnapshot

CHECK_ID = "iam.lambda_vpc_condition_keys"
GLOBAL = "global"  # account-wide evidence has no region
GUARDED = ("lambda:CreateFunction", "lambda:UpdateFunctionConfiguration")
VPC_KEYS = frozenset({"lambda:vpcids", "lambda:subnetids", "lambda:securitygroupids"})

# How a condition on a VPC key treats a request with no VPC (the key absent): plain negated
# operators and ForAllValues match an absent key, so a Deny with them refuses such requests;
# plain positive operators and ForAnyValue do not match it, so an Allow with them excludes
# them. (ForAnyValue:StringNot* in a Deny and ForAllValues:String* in an Allow let them through.)
DENY_OPERATORS = frozenset(
    {
        "stringnotequals",
        "stringnotlike",
        "forallvalues:stringnotequals",
        "forallvalues:stringnotlike",
    }
)
ALLOW_OPERATORS = frozenset(
    {"stringequals", "stringlike", "foranyvalue:stringequals", "foranyvalue:stringlike"}
)


@dataclass(slots=True)
class _Findings:
    guarded: dict[str, list[str]] = field(default_factory=dict)  # action -> policy labels
    statements: list[dict[str, Any]] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def judge(
        self,
        label: str,
        source: str,
        document: dict[str, Any] | None,
        allow_ok: bool,
        *,
        counts: bool = True,
    ) -> None:
        """Record the statements that keep functions in the VPC; `counts=False` lists them as
        evidence without letting them guard anything (an SCP whose reach is unconfirmed)."""
        for index, statement in enumerate(statements(document)):
            kind = _guard_kind(statement, allow_ok)
            if kind is None:
                continue
            actions = [a for a in GUARDED if covers_action(statement, a)]
            for action in actions if counts else ():
                self.guarded.setdefault(action, []).append(label)
            self.statements.append(
                {
                    "policy": label,
                    "source": source,
                    "statement": statement_label(statement, index),
                    "effect": kind,
                    "actions": actions,
                    "statement_json": statement,
                }
            )


def _guard_kind(statement: dict[str, Any], allow_ok: bool) -> str | None:
    """The statement's effect when it keeps Lambda functions in a VPC, else None."""
    effect = statement.get("Effect")
    if effect not in ("Deny", "Allow") or (effect == "Allow" and not allow_ok):
        return None
    if not any(covers_action(statement, a) for a in GUARDED) or not _on_functions(statement):
        return None
    condition = statement.get("Condition")
    if not isinstance(condition, dict):
        return None
    for operator, clauses in condition.items():
        if not isinstance(clauses, dict):
            continue
        op = str(operator).lower()
        for key, raw in clauses.items():
            if str(key).lower() not in VPC_KEYS:
                continue
            values = {v.lower() for v in as_strings(raw if isinstance(raw, list) else [raw])}
            if op == "null":
                if (effect == "Deny" and "true" in values) or (
                    effect == "Allow" and "false" in values
                ):
                    return str(effect)
            elif effect == "Deny" and op.removesuffix("ifexists") in DENY_OPERATORS:
                return str(effect)  # ...IfExists also matches an absent key: still refused
            elif effect == "Allow" and op in ALLOW_OPERATORS:
                return str(effect)
    return None


def _on_functions(statement: dict[str, Any]) -> bool:
    if "NotResource" in statement or "Resource" not in statement:
        return True
    return any(
        r == "*" or r.endswith((":function:*", ":*")) for r in as_strings(statement["Resource"])
    )


def _scps(inv: AccountInventory, found: _Findings) -> None:
    org = inv.get_global(OrganizationsSnapshot)
    if org is None:
        found.unreadable.append("Organizations was not read")
        return
    if org.listing_error is not None:
        found.unreadable.append(f"SCPs: {org.listing_error.reason()}")
        return
    if not org.in_organization:
        found.notes.append("the account is not in an organization (no SCPs)")
        return
    if org.management_account == inv.account:
        # SCPs never restrict the management account, whatever they say.
        found.notes.append("SCPs do not apply to the organization's management account")
        return
    if org.scp_error is not None:
        found.unreadable.append(f"SCPs: {org.scp_error.reason()}")
        return
    for scp in org.scps:
        if scp.error is not None:
            found.unreadable.append(f"SCP {scp.name}: {scp.error.reason()}")
            continue
        if scp.is_full_access or not scp.targets:
            continue  # attached nowhere (or allow-all): it restricts nobody
        try:
            document = json.loads(scp.document)
        except ValueError:
            found.unreadable.append(f"SCP {scp.name}: the document is not JSON")
            continue
        applies = org.applies_to(scp, inv.account)
        # An SCP on an OU the account is not under bounds nothing here: judged on the side,
        # only to say why its guard does not count.
        into = found if applies is not False else _Findings()
        before = len(into.statements)
        into.judge(
            f"SCP {scp.name}",
            scp.arn,
            document if isinstance(document, dict) else None,
            False,
            counts=bool(applies),
        )
        if len(into.statements) == before:
            continue  # no VPC guard in it: its reach does not matter to this check
        where = f"SCP {scp.name} is {org.where_attached(scp, inv.account)}"
        found.notes.append(where)
        if applies is None:  # listed as evidence, but an unconfirmed guard never passes
            found.unreadable.append(where)


def _local(inv: AccountInventory, found: _Findings) -> None:
    iam = inv.get_global(IamSnapshot)
    if iam is None:
        found.unreadable.append("IAM was not read")
        return
    if iam.local_policies_error is not None:
        found.unreadable.append(f"IAM policies: {iam.local_policies_error.reason()}")
        return
    for doc in iam.local_policies:
        if doc.error is not None:
            found.unreadable.append(f"IAM policy {doc.name}: {doc.error.reason()}")
        elif doc.in_use is False:
            found.notes.append(f"IAM policy {doc.name} is attached to nobody")
        else:
            found.judge(f"IAM policy {doc.name}", doc.arn, doc.document, True)


def _functions_in_scope(inv: AccountInventory) -> tuple[int, list[Any]]:
    count, errors = 0, []
    for _region, snap in inv.each(LambdaSnapshot):
        if snap.listing_error is not None:
            errors.append(snap.listing_error)
        count += sum(1 for fn in snap.functions if fn.in_scope)
    return count, errors


@check(
    CHECK_ID,
    title="A guardrail keeps new and changed functions inside the VPC",
    severity=Severity.MEDIUM,
    service="iam",
    rationale="Network controls only help if functions are attached to the VPC. An SCP or IAM "
    "policy that denies lambda:CreateFunction and lambda:UpdateFunctionConfiguration unless "
    "lambda:VpcIds / lambda:SubnetIds / lambda:SecurityGroupIds match (Null lambda:VpcIds = "
    "true, or StringNotEquals / ForAllValues:StringNotEquals allow-lists) stops anyone "
    "deploying a function outside it. An SCP counts only when attached to the account, an OU above "
    "it or the root (read with ListParents), and none binds the management account.",
    remediation="Attach an SCP (or a policy on every deploying role or its permissions "
    "boundary) with Effect Deny on lambda:CreateFunction and lambda:UpdateFunctionConfiguration "
    'and Condition {"Null": {"lambda:VpcIds": "true"}}, or an allow-list of VPCs and subnets.',
    references=(
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#vpc-conditions",
        "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html",
    ),
)
def lambda_vpc_condition_keys(
    inv: AccountInventory, cfg: CheckConfig, emit: Emitter
) -> Iterator[Evidence]:
    account_arn = f"arn:aws:iam::{inv.account}:root"
    count, errors = _functions_in_scope(inv)
    if count == 0:
        if errors:
            yield emit.unknown(account_arn, GLOBAL, errors[0], "whether any function is in scope")
        else:
            yield emit(
                Status.NOT_APPLICABLE, "", GLOBAL, "No Lambda functions in scope in this account"
            )
        return
    found = _Findings()
    _scps(inv, found)
    _local(inv, found)
    details: dict[str, Any] = {"statements": found.statements, "notes": found.notes}
    missing = [a for a in GUARDED if a not in found.guarded]
    if not missing:
        names = sorted({label for labels in found.guarded.values() for label in labels})
        yield emit(
            Status.PASS,
            account_arn,
            GLOBAL,
            f"{', '.join(names)} keeps functions in the VPC "
            f"({' and '.join(GUARDED)} need lambda:VpcIds-style conditions)",
            **details,
        )
    elif found.unreadable:
        yield emit(
            Status.UNKNOWN,
            account_arn,
            GLOBAL,
            "Could not check for a VPC guardrail: " + "; ".join(found.unreadable),
            unreadable=found.unreadable,
            **details,
        )
    elif found.guarded:
        yield emit(
            Status.WARN,
            account_arn,
            GLOBAL,
            f"only {', '.join(a for a in GUARDED if a in found.guarded)} is guarded: "
            f"{', '.join(missing)} can still take a function out of the VPC",
            **details,
        )
    else:
        yield emit(
            Status.WARN,
            account_arn,
            GLOBAL,
            "No SCP or IAM policy conditions lambda:CreateFunction or "
            "lambda:UpdateFunctionConfiguration on lambda:VpcIds: nothing stops a function "
            "being created outside the VPC",
            **details,
        )
