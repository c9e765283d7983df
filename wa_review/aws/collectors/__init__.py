"""One collector per service; `ALL_COLLECTORS` is the order they are offered to the runner."""

from __future__ import annotations

from wa_review.aws.collectors.base import Collector
from wa_review.aws.collectors.lambda_ import LambdaCollector

ALL_COLLECTORS: tuple[type[Collector], ...] = (LambdaCollector,)

__all__ = ["ALL_COLLECTORS", "Collector"]
