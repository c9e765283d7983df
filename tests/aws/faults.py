"""botocore before-send handlers that answer like AWS does when it refuses or throttles."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from botocore.awsrequest import AWSResponse


class RawBody:
    """The raw stream botocore reads a hand-written response from."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Any:
        yield self._body

    def read(self, *_: Any, **__: Any) -> bytes:
        return self._body


def json_error(status: int, code: str, message: str, url: str) -> AWSResponse:
    """A REST-JSON/JSON-protocol error (Lambda, API Gateway, ...) as AWS sends it."""
    body = json.dumps({"__type": code, "message": message, "Message": message}).encode()
    headers = {"x-amzn-ErrorType": code, "Content-Type": "application/json"}
    return AWSResponse(url, status, headers, RawBody(body))


def deny(operation: str, *, when: Callable[[Any], bool] = lambda _r: True) -> Callable[..., Any]:
    """Deny `operation` (its API name, e.g. 'GetPolicy') with AccessDeniedException."""

    def handler(request: Any, **kwargs: Any) -> AWSResponse | None:
        model = kwargs.get("model")
        event = kwargs.get("event_name", "")
        name = model.name if model is not None else event.rsplit(".", 1)[-1]
        if name == operation and when(request):
            return json_error(
                403, "AccessDeniedException", f"not authorized to perform {operation}", request.url
            )
        return None

    return handler
