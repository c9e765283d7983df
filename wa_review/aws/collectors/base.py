"""The collector contract: one service in, one typed snapshot out, IAM actions declared."""

from __future__ import annotations

from typing import Any, ClassVar, Protocol

from wa_review.aws.api import RegionApi


class Collector(Protocol):
    """A collector reads one service for one account and region.

    It paginates everything, fans per-resource calls out through `api.fan_out`, and
    records failures in its snapshot (as FetchError) instead of raising, so one denied
    call makes exactly the resources it touched UNKNOWN.
    """

    service: ClassVar[str]
    # Account-wide services (IAM, Organizations, S3 account settings) run once per account.
    global_: ClassVar[bool]
    # Every IAM action the collector may call: the least-privilege policy is built from these.
    iam_actions: ClassVar[tuple[str, ...]]

    def collect(self, api: RegionApi) -> Any: ...
