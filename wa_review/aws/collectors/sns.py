"""SNS collector: topics and their access policies."""

from __future__ import annotations

from typing import ClassVar

from wa_review.aws.api import CallFailed, RegionApi
from wa_review.aws.collectors.base import Collector
from wa_review.model.snapshots.sns import SnsSnapshot, Topic


class SnsCollector(Collector[SnsSnapshot]):
    service: ClassVar[str] = "sns"
    snapshot_type: ClassVar[type[SnsSnapshot]] = SnsSnapshot
    global_: ClassVar[bool] = False
    iam_actions: ClassVar[tuple[str, ...]] = ("sns:ListTopics", "sns:GetTopicAttributes")

    def collect(self, api: RegionApi) -> SnsSnapshot:
        listed, listing_error = api.listing("sns", "list_topics", "Topics")
        arns = [str(item["TopicArn"]) for item in listed]
        topics = tuple(api.fan_out(lambda arn: self._topic(api, arn), arns))
        return SnsSnapshot(topics=topics, listing_error=listing_error)

    def _topic(self, api: RegionApi, arn: str) -> Topic:
        name = arn.rsplit(":", 1)[-1]
        if not api.scope.includes(arn, name):
            return Topic(name, arn, in_scope=False)
        try:
            found = api.call("sns", "get_topic_attributes", resource=arn, TopicArn=arn)
        except CallFailed as failed:
            return Topic(name, arn, True, error=failed.error)
        policy = (found.get("Attributes") or {}).get("Policy")
        return Topic(name, arn, True, policy=str(policy) if policy else None)
