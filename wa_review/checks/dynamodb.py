"""Who may reach the workload's DynamoDB tables and streams (practice a1)."""

from __future__ import annotations

from collections.abc import Iterator

from wa_review.checks.support.helpers import Emitter
from wa_review.checks.support.policy_grading import per_region, policy_evidence
from wa_review.checks.support.registry import check
from wa_review.model.evidence import Evidence, Severity
from wa_review.model.inventory import AccountInventory, CheckConfig
from wa_review.model.snapshots.dynamodb import DynamoDbSnapshot, DynamoPolicy, Table

# (table, the policy read for it or its stream, whether it is the stream's)
_Target = tuple[Table, DynamoPolicy | None, bool]


def _targets(snap: DynamoDbSnapshot) -> list[_Target]:
    """Each in-scope table, then its stream when it has one."""
    found: list[_Target] = []
    for table in snap.tables:
        if not table.in_scope:
            continue
        found.append((table, table.policy, False))
        if table.stream_arn:
            found.append((table, table.stream_policy, True))
    return found


def _target_evidence(
    emit: Emitter, inv: AccountInventory, cfg: CheckConfig, region: str, target: _Target
) -> Evidence:
    table, policy, is_stream = target
    arn = (table.stream_arn or "") if is_stream else table.arn
    return policy_evidence(
        emit,
        inv,
        cfg,
        region=region,
        arn=arn,
        label=f"stream of table {table.name}" if is_stream else f"table {table.name}",
        resource_type="dynamodb",
        document=policy.document if policy else None,
        error=policy.error if policy else None,
        what="resource policy",
    )


@check(
    "dynamodb.resource_policy_public",
    title="DynamoDB table and stream policies let in neither the public nor untrusted accounts",
    severity=Severity.HIGH,
    service="dynamodb",
    rationale="A table or stream resource policy that allows '*' or an untrusted account exposes the "
    "workload's data outside its boundary; the stream policy is separate from the table's and is "
    "judged on its own.",
    remediation="Remove the statement (`aws dynamodb put-resource-policy` with a narrower policy, or "
    "`delete-resource-policy`), or pin it with aws:PrincipalOrgID / named trusted accounts.",
    references=(
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/access-control-resource-based.html",
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/rbac-examples.html",
    ),
)
def resource_policy_public(
    inv: AccountInventory, cfg: CheckConfig, emit: Emitter
) -> Iterator[Evidence]:
    yield from per_region(
        inv,
        DynamoDbSnapshot,
        emit,
        "DynamoDB tables",
        _targets,
        lambda region, target: _target_evidence(emit, inv, cfg, region, target),
    )
    for region, snap in inv.each(DynamoDbSnapshot):
        # The streams could not be listed: the tables' own policies are judged above, but
        # whether any of them has a stream, and what its policy allows, is unknown.
        if snap.streams_error is not None and any(t.in_scope for t in snap.tables):
            yield emit.unknown("", region, snap.streams_error, "the streams of DynamoDB tables")
