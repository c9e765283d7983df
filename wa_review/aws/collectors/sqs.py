"""SQS collector: queues and their access policies."""

from __future__ import annotations

from typing import ClassVar

from wa_review.aws.api import CallFailed, RegionApi
from wa_review.aws.collectors.base import Collector
from wa_review.model.snapshots.sqs import Queue, SqsSnapshot


class SqsCollector(Collector[SqsSnapshot]):
    service: ClassVar[str] = "sqs"
    snapshot_type: ClassVar[type[SqsSnapshot]] = SqsSnapshot
    global_: ClassVar[bool] = False
    iam_actions: ClassVar[tuple[str, ...]] = ("sqs:ListQueues", "sqs:GetQueueAttributes")

    def collect(self, api: RegionApi) -> SqsSnapshot:
        urls, listing_error = api.listing("sqs", "list_queues", "QueueUrls")
        partition = api.client("sqs").meta.partition
        queues = api.fan_out(lambda url: self._queue(api, str(url), partition), urls)
        return SqsSnapshot(queues=tuple(queues), listing_error=listing_error)

    def _queue(self, api: RegionApi, url: str, partition: str) -> Queue:
        # A queue URL ends in /ACCOUNT/NAME; the ARN is built from it so that out-of-scope
        # queues need no call at all.
        account, name = url.rstrip("/").split("/")[-2:]
        arn = f"arn:{partition}:sqs:{api.region}:{account}:{name}"
        queue = Queue(name=name, url=url, arn=arn, in_scope=api.scope.includes(url, arn, name))
        if not queue.in_scope:
            return queue
        try:
            found = api.call(
                "sqs",
                "get_queue_attributes",
                resource=arn,
                QueueUrl=url,
                AttributeNames=["Policy", "QueueArn"],
            )
        except CallFailed as failed:
            return Queue(name, url, arn, True, error=failed.error)
        attributes = found.get("Attributes") or {}
        policy = attributes.get("Policy")
        return Queue(
            name,
            url,
            str(attributes.get("QueueArn") or arn),
            True,
            policy=str(policy) if policy else None,
        )
