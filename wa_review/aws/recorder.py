"""Counts every API call per operation and keeps every failure, for stats and the report."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

from wa_review.model.evidence import FetchError


class CallRecorder:
    """Thread-safe tally; hooked into every client the context creates."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.calls: Counter[str] = Counter()
        self.retries = 0
        self.errors: list[FetchError] = []

    def on_call(self, model: Any, **_: Any) -> None:
        key = f"{model.service_model.endpoint_prefix}:{model.name}"
        with self._lock:
            self.calls[key] += 1

    def on_response(self, http_response: Any = None, parsed: Any = None, **_: Any) -> None:
        attempts = 0
        if isinstance(parsed, dict):
            attempts = int(parsed.get("ResponseMetadata", {}).get("RetryAttempts", 0) or 0)
        if attempts:
            with self._lock:
                self.retries += attempts

    def record_error(self, error: FetchError) -> None:
        with self._lock:
            self.errors.append(error)

    def install(self, client: Any) -> None:
        client.meta.events.register("before-call.*.*", self.on_call)
        client.meta.events.register("after-call.*.*", self.on_response)

    def snapshot(self) -> tuple[dict[str, int], list[FetchError]]:
        with self._lock:
            return dict(self.calls), list(self.errors)
