"""Answers cut short: a body that ends mid-way is retried like a 5xx, then fails the call.

botocore reads a JSON body that is not JSON as `{"message": body}`, which parses as an empty
answer: a ListFunctions answer cut short would read as "no functions". An XML one makes its
parser raise, past the retries. Both are caught here, before botocore parses the body, and
become the error code `IncompleteAnswer`: retried as botocore retries a 5xx (a connection reset
or a read timeout mid-body it retries itself), and if every attempt is cut, a failed call that
the collectors record, so what it was about is UNKNOWN with the reason.
"""

from __future__ import annotations

import json
import random
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

CUT_SHORT = "IncompleteAnswer"
_JSON = frozenset({"json", "rest-json"})
_XML = frozenset({"query", "ec2", "rest-xml"})
# botocore's own backoff for errors that are not throttling: 50 ms doubling, at most 20 s.
_BASE_DELAY, _MAX_DELAY = 0.05, 20.0


def is_complete(protocol: str, body: bytes) -> bool:
    """Whether `body` is a whole document of the protocol's format (empty counts as whole)."""
    if not body.strip():
        return True
    try:
        if protocol in _JSON:
            json.loads(body)
        elif protocol in _XML:
            ElementTree.fromstring(body)
    except (ValueError, ElementTree.ParseError):  # JSONDecodeError and UnicodeDecodeError too
        return False
    return True


def _check_body(
    operation_model: Any,
    response_dict: dict[str, Any],
    customized_response_dict: dict[str, Any],
    **_: Any,
) -> None:
    status = int(response_dict.get("status_code") or 200)
    if status < 300 and (
        operation_model.has_streaming_output or not _body_is_a_document(operation_model)
    ):
        return
    body = response_dict.get("body") or b""
    protocol = operation_model.service_model.resolved_protocol
    if not isinstance(body, bytes) or is_complete(protocol, body):
        return
    if 300 <= status < 500 and not _starts_as_document(protocol, body):
        # An HTML or text page from something in between: botocore reads the status as the
        # code (a 404 there means the endpoint lacks the API), and an error it stays.
        return
    # botocore parses an empty 5xx answer as its generic error, for every protocol: a 5xx
    # whose body broke is then retried as any 5xx; a success whose body broke becomes one.
    response_dict["body"] = b""
    if status >= 500:
        return
    response_dict["status_code"] = 500
    customized_response_dict["Error"] = {
        "Code": CUT_SHORT,
        "Message": f"the answer ended mid-way ({len(body)} bytes of {protocol} that do not parse)",
    }


def _starts_as_document(protocol: str, body: bytes) -> bool:
    head = body.lstrip()[:16].lower()
    if protocol in _JSON:
        return head.startswith(b"{")
    return head.startswith(b"<") and not head.startswith((b"<!doctype", b"<html"))


def _body_is_a_document(operation_model: Any) -> bool:
    """False where the body is a value of its own (S3 GetBucketPolicy's JSON, a blob)."""
    output = operation_model.output_shape
    if output is None:
        return False
    payload = output.serialization.get("payload")
    return payload is None or output.members[payload].type_name == "structure"


def _is_cut(parsed: Any) -> bool:
    return isinstance(parsed, dict) and parsed.get("Error", {}).get("Code") == CUT_SHORT


def _retry_cut(max_attempts: int) -> Callable[..., float | None]:
    def needs_retry(response: Any = None, attempts: int = 1, **_: Any) -> float | None:
        if not response or not _is_cut(response[1]) or attempts >= max_attempts:
            return None  # botocore's own retry handler decides
        delay: float = random.random() * min(_BASE_DELAY * 2 ** (attempts - 1), _MAX_DELAY)
        return delay

    return needs_retry


def _raise_cut(http_response: Any = None, parsed: Any = None, model: Any = None, **_: Any) -> None:
    # The HTTP status was a success, so botocore would hand the empty parse back as an answer.
    if _is_cut(parsed) and getattr(http_response, "status_code", 500) < 300:
        raise ClientError(parsed, getattr(model, "name", "the operation"))


def install_cut_short_detection(client: Any, *, max_attempts: int) -> None:
    """Detect, retry, then fail answers cut short (registered ahead of botocore's handlers)."""
    client.meta.events.register_first("before-parse.*.*", _check_body)
    client.meta.events.register_first("needs-retry.*.*", _retry_cut(max_attempts))
    client.meta.events.register_first("after-call.*.*", _raise_cut)
