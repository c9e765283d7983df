"""Fail fast when an endpoint lacks an API, instead of retrying its 500 answers.

Real AWS never answers "not implemented"; local emulators (moto, LocalStack) do, with an HTTP
500/501 that botocore would retry with backoff for every such call. We raise at once with the
code `ApiUnavailable`, which collectors record and checks turn into UNKNOWN evidence.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

_MARKERS = (
    b"not been implemented",
    b"not yet implemented",
    b"NotImplementedError",
    b"NotImplemented",
    # moto's server when it has no backend at all for the service (e.g. Access Analyzer):
    # werkzeug's generic 500 page. Retrying it only burns the attempts and their backoff.
    b"The server encountered an internal error and was unable to complete your request",
)


def _lacks_api(response: Any) -> bool:
    if not response:
        return False
    http = response[0]
    if http is None or getattr(http, "status_code", 0) not in (404, 500, 501):
        return False
    body = getattr(http, "content", b"") or b""
    return any(marker in body for marker in _MARKERS)


def _fail_fast(response: Any = None, operation: Any = None, **_: Any) -> None:
    if _lacks_api(response):
        name = getattr(operation, "name", "the operation")
        raise ClientError(
            {
                "Error": {
                    "Code": "ApiUnavailable",
                    "Message": f"the endpoint does not implement {name}",
                }
            },
            name,
        )


def install_missing_api_fast_fail(client: Any) -> None:
    client.meta.events.register_first("needs-retry.*.*", _fail_fast)
