"""DynamoDB collector: tables, their streams, and the resource policy of each."""

from __future__ import annotations

from typing import ClassVar

from wa_review.aws.api import CallFailed, RegionApi
from wa_review.model.snapshots.dynamodb import DynamoDbSnapshot, DynamoPolicy, Table

NO_POLICY = "PolicyNotFoundException"
# A stream that rolled over between DescribeTable and GetResourcePolicy no longer exists, so it
# grants nothing. (moto answers this for every stream ARN: it keeps no stream policies.)
STREAM_GONE = "ResourceNotFoundException"


class DynamoDbCollector:
    service: ClassVar[str] = "dynamodb"
    global_: ClassVar[bool] = False
    iam_actions: ClassVar[tuple[str, ...]] = (
        "dynamodb:ListTables",
        "dynamodb:DescribeTable",
        "dynamodb:GetResourcePolicy",
    )

    def collect(self, api: RegionApi) -> DynamoDbSnapshot:
        try:
            names = api.paginate("dynamodb", "list_tables", "TableNames")
        except CallFailed as failed:
            return DynamoDbSnapshot(listing_error=failed.error)
        partition = api.client("dynamodb").meta.partition
        tables = api.fan_out(lambda name: self._table(api, str(name), partition), names)
        return DynamoDbSnapshot(tables=tuple(tables))

    def _table(self, api: RegionApi, name: str, partition: str) -> Table:
        arn = f"arn:{partition}:dynamodb:{api.region}:{api.account_id}:table/{name}"
        if not api.scope.includes(name, arn):
            return Table(name, arn, in_scope=False)
        try:
            found = api.call("dynamodb", "describe_table", resource=arn, TableName=name)
        except CallFailed as failed:
            return Table(name, arn, True, error=failed.error)
        described = found.get("Table") or {}
        arn = str(described.get("TableArn") or arn)
        stream = described.get("LatestStreamArn")
        return Table(
            name,
            arn,
            True,
            stream_arn=str(stream) if stream else None,
            policy=self._policy(api, arn, gone_means_none=False),
            stream_policy=self._policy(api, str(stream), gone_means_none=True) if stream else None,
        )

    def _policy(self, api: RegionApi, arn: str, *, gone_means_none: bool) -> DynamoPolicy:
        none = (NO_POLICY, STREAM_GONE) if gone_means_none else (NO_POLICY,)
        try:
            found = api.call(
                "dynamodb", "get_resource_policy", resource=arn, absent=none, ResourceArn=arn
            )
        except CallFailed as failed:
            if failed.code in none:
                return DynamoPolicy(arn)
            return DynamoPolicy(arn, error=failed.error)
        policy = found.get("Policy")
        return DynamoPolicy(arn, document=str(policy) if policy else None)
