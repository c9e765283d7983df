"""DynamoDB: tables, their streams, and the resource policy of each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from wa_review.model.evidence import FetchError


@dataclass(frozen=True, slots=True)
class DynamoPolicy:
    """The resource policy of one table or stream; `document` None means there is none."""

    target: str  # the table or stream ARN
    document: str | None = None
    error: FetchError | None = None


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    arn: str
    in_scope: bool
    # The latest stream ListStreams names for the table (DescribeTable's LatestStreamArn);
    # None when it has none, or when the streams could not be listed (see streams_error).
    stream_arn: str | None = None
    policy: DynamoPolicy | None = None  # None when not read (out of scope)
    stream_policy: DynamoPolicy | None = None


@dataclass(frozen=True, slots=True)
class DynamoDbSnapshot:
    service: ClassVar[str] = "dynamodb"
    tables: tuple[Table, ...] = ()
    listing_error: FetchError | None = None
    # ListStreams failed: which in-scope tables have a stream, and what it allows, is unknown.
    streams_error: FetchError | None = None
