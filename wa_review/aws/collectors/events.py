"""EventBridge collector: event buses and their resource policies."""

from __future__ import annotations

from typing import Any, ClassVar

from wa_review.aws.api import CallFailed, RegionApi
from wa_review.aws.collectors.base import Collector
from wa_review.model.snapshots.events import EventBus, EventsSnapshot


class EventsCollector(Collector[EventsSnapshot]):
    service: ClassVar[str] = "events"
    snapshot_type: ClassVar[type[EventsSnapshot]] = EventsSnapshot
    global_: ClassVar[bool] = False
    iam_actions: ClassVar[tuple[str, ...]] = ("events:ListEventBuses", "events:DescribeEventBus")

    def collect(self, api: RegionApi) -> EventsSnapshot:
        listed, listing_error = api.listing("events", "list_event_buses", "EventBuses")
        buses = api.fan_out(lambda raw: self._bus(api, raw), listed)
        return EventsSnapshot(buses=tuple(buses), listing_error=listing_error)

    def _bus(self, api: RegionApi, raw: dict[str, Any]) -> EventBus:
        name, arn = str(raw["Name"]), str(raw["Arn"])
        if not api.scope.includes(name, arn):
            return EventBus(name, arn, in_scope=False)
        # ListEventBuses carries the policy too, but an absent key there cannot be told apart
        # from an endpoint that leaves it out; DescribeEventBus answers for one bus, and a
        # denial then touches only that bus.
        try:
            found = api.call("events", "describe_event_bus", resource=arn, Name=name)
        except CallFailed as failed:
            return EventBus(name, arn, True, error=failed.error)
        policy = found.get("Policy")
        return EventBus(name, arn, True, policy=str(policy) if policy else None)
