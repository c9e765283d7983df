"""The collector contract: one service in, one typed snapshot out, its names declared."""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar, Generic, Protocol, TypeVar, cast

from wa_review.aws.api import RegionApi
from wa_review.model.evidence import FetchError


class CollectedSnapshot(Protocol):
    """What the runner reads of every snapshot: whether the service could be listed at all."""

    service: ClassVar[str]

    @property
    def listing_error(self) -> FetchError | None: ...


S = TypeVar("S", bound=CollectedSnapshot)


class Collector(Generic[S]):
    """A collector reads one service for one account and region into a snapshot of type S.

    It paginates everything, fans per-resource calls out through `api.fan_out`, and
    records failures in its snapshot (as FetchError) instead of raising, so one denied
    call makes exactly the resources it touched UNKNOWN.
    """

    service: ClassVar[str]
    # The snapshot class; built with only `listing_error` when the account cannot be read.
    snapshot_type: ClassVar[type[Any]]
    # Account-wide services (IAM, Organizations, S3 account settings) run once per account.
    global_: ClassVar[bool] = False
    # Every IAM action the collector may call: the least-privilege policy is built from these.
    iam_actions: ClassVar[tuple[str, ...]]
    # Endpoint prefixes its calls are counted under (CallRecorder keys), when not `service`.
    endpoints: ClassVar[tuple[str, ...]] = ()
    # Service names its failed calls are recorded under (FetchError.service), likewise.
    error_services: ClassVar[tuple[str, ...]] = ()

    def collect(self, api: RegionApi) -> S:
        raise NotImplementedError

    @classmethod
    def unreadable(cls, error: FetchError) -> S:
        """The snapshot of a service that could not be read at all: every check says UNKNOWN."""
        return cast(S, cls.snapshot_type(listing_error=error))

    @classmethod
    def call_prefixes(cls) -> tuple[str, ...]:
        return tuple(f"{p}:" for p in cls.endpoints or (cls.service,))

    @classmethod
    def error_names(cls) -> tuple[str, ...]:
        return cls.error_services or (cls.service,)

    @staticmethod
    def resources(snapshot: S) -> int:
        """How many resources the snapshot holds (its tuples), for the progress display."""
        fields = dataclasses.fields(cast(Any, snapshot))
        return sum(len(v) for f in fields if isinstance(v := getattr(snapshot, f.name), tuple))


# Any collector class, whatever its snapshot type: what the runner is handed.
CollectorClass = type[Collector[Any]]
