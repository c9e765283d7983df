"""A loopback HTTP proxy in front of a moto server that answers some requests the way AWS does
when it throttles, fails, refuses or stalls.

Each request is forwarded unchanged to the upstream server unless a fault is drawn for it (a
seeded RNG per service, so a run can be replayed) or a rule matches it. Faults are written in the wire
format of the service's protocol, which the proxy reads from the SigV4 credential scope:

- JSON (DynamoDB, WAFv2, Organizations, ...): HTTP 400, `x-amzn-ErrorType: ThrottlingException`;
- REST-JSON (Lambda, API Gateway, AppSync, Access Analyzer): HTTP 429 TooManyRequestsException;
- query (IAM, STS, SNS, CloudFormation): HTTP 400 `<ErrorResponse>` with code Throttling;
- EC2: HTTP 503 `<Response><Errors>` with code RequestLimitExceeded;
- REST-XML (S3, S3 Control): HTTP 503 SlowDown.

It binds 127.0.0.1 only and stops with the `with` block.
"""

from __future__ import annotations

import http.client
import json
import random
import re
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request")
_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade"}

REST_JSON = frozenset({"lambda", "apigateway", "appsync", "access-analyzer"})
QUERY = frozenset({"iam", "sts", "sns", "cloudformation"})
REST_XML = frozenset({"s3"})


@dataclass(frozen=True, slots=True)
class Request:
    """What a fault rule sees of one request."""

    method: str
    path: str
    service: str  # the SigV4 signing name: lambda, ec2, s3 (S3 Control too), ...
    region: str
    target: str  # X-Amz-Target (JSON protocol) or the query Action, when there is one
    body: bytes


@dataclass(frozen=True, slots=True)
class Fault:
    """One answer the proxy gives instead of forwarding."""

    status: int
    code: str
    message: str
    delay: float = 0.0  # seconds to wait first (longer than the client's read timeout: a stall)
    forward_after_delay: bool = False
    # Forward, then send only this fraction of the upstream body: an answer cut short. The
    # Content-Length matches what is sent (a whole HTTP answer whose document ends mid-way)
    # unless `break_after` says how the connection breaks instead.
    cut: float | None = None
    # "reset": claim the whole length, send the part, reset the connection (TCP RST);
    # "stall": claim the whole length, send the part, then send nothing for `stall` seconds.
    break_after: str = ""
    stall: float = 0.0
    # Answer `status` with this body instead (a well-formed answer of a shape nobody expects).
    body: bytes | None = None


def cut_short(fraction: float = 0.5) -> Fault:
    """A well-formed HTTP answer whose XML or JSON document ends mid-way."""
    return Fault(200, "", "", cut=fraction)


def reset_mid_body(fraction: float = 0.5) -> Fault:
    """The connection is reset after part of the body."""
    return Fault(200, "", "", cut=fraction, break_after="reset")


def stall_mid_body(seconds: float, fraction: float = 0.5) -> Fault:
    """Part of the body, then silence for longer than the client's read timeout."""
    return Fault(200, "", "", cut=fraction, break_after="stall", stall=seconds)


def server_error(service: str) -> Fault:
    """HTTP 500 InternalError in `service`'s protocol (what a broken service answers)."""
    return Fault(500, "InternalError", "We encountered an internal error. Please try again.")


Rule = Callable[[Request], Fault | None]


@dataclass
class Stats:
    forwarded: int = 0
    faults: Counter[str] = field(default_factory=Counter)


def throttle_for(service: str) -> Fault:
    """The throttling answer AWS gives for `service` (its signing name)."""
    if service in REST_JSON:
        return Fault(429, "TooManyRequestsException", "Rate exceeded")
    if service == "ec2":
        return Fault(503, "RequestLimitExceeded", "Request limit exceeded.")
    if service in REST_XML:
        return Fault(503, "SlowDown", "Please reduce your request rate.")
    if service in QUERY:
        return Fault(400, "Throttling", "Rate exceeded")
    return Fault(400, "ThrottlingException", "Rate exceeded")


def server_error_for(service: str, rng: random.Random) -> Fault:
    """A transient 5xx, as a load balancer or the service itself sends one."""
    if rng.random() < 0.5:
        return Fault(500, "InternalError", "We encountered an internal error. Please try again.")
    return Fault(503, "ServiceUnavailable", "Service is unavailable. Please try again.")


def denied_for(
    service: str, message: str = "User is not authorized to perform this action"
) -> Fault:
    if service in QUERY or service in REST_XML:
        return Fault(403, "AccessDenied", message)
    if service == "ec2":
        return Fault(403, "UnauthorizedOperation", message)
    return Fault(403, "AccessDeniedException", message)


def region_off_for(service: str) -> Fault:
    """What every call in an opt-in Region that is not enabled gets."""
    if service == "ec2":
        return Fault(
            401, "AuthFailure", "AWS was not able to validate the provided access credentials"
        )
    if service in QUERY or service in REST_XML:
        return Fault(
            403, "InvalidClientTokenId", "The security token included in the request is invalid."
        )
    return Fault(
        403, "UnrecognizedClientException", "The security token included in the request is invalid."
    )


def error_body(service: str, fault: Fault) -> tuple[bytes, dict[str, str]]:
    """The body and headers of `fault` in `service`'s protocol."""
    if service == "ec2":
        body = (
            f"<Response><Errors><Error><Code>{fault.code}</Code><Message>{fault.message}"
            "</Message></Error></Errors><RequestID>fault-proxy</RequestID></Response>"
        )
        return body.encode(), {"Content-Type": "text/xml"}
    if service in REST_XML:
        body = (
            f"<Error><Code>{fault.code}</Code><Message>{fault.message}</Message>"
            "<RequestId>fault-proxy</RequestId></Error>"
        )
        return body.encode(), {"Content-Type": "application/xml"}
    if service in QUERY:
        body = (
            f"<ErrorResponse><Error><Type>Sender</Type><Code>{fault.code}</Code>"
            f"<Message>{fault.message}</Message></Error>"
            "<RequestId>fault-proxy</RequestId></ErrorResponse>"
        )
        return body.encode(), {"Content-Type": "text/xml"}
    payload = {"__type": fault.code, "message": fault.message, "Message": fault.message}
    headers = {"Content-Type": "application/x-amz-json-1.1", "x-amzn-ErrorType": fault.code}
    # SQS speaks JSON with query-compatible error codes.
    headers["x-amzn-query-error"] = f"{fault.code};Sender"
    return json.dumps(payload).encode(), headers


class FaultProxy:
    """The proxy. `throttle` and `server_errors` are per-request probabilities; `rules` run
    first, in order, and the first that returns a Fault answers the request."""

    def __init__(
        self,
        upstream: str,
        *,
        seed: int = 0,
        throttle: float = 0.0,
        server_errors: float = 0.0,
        rules: tuple[Rule, ...] = (),
    ) -> None:
        parts = urlsplit(upstream)
        self._host, self._port = parts.hostname or "127.0.0.1", parts.port or 80
        self._seed = seed
        self._rngs: dict[str, random.Random] = {}
        self._lock = threading.Lock()
        self.throttle = throttle
        self.server_errors = server_errors
        self.rules = list(rules)
        self.stats = Stats()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "the proxy is not running"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FaultProxy:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def choose(self, request: Request) -> Fault | None:
        for rule in self.rules:
            fault = rule(request)
            if fault is not None:
                return fault
        with self._lock:
            # One stream per service: however the collector's threads interleave, the n-th
            # request to a service meets the n-th draw, so a seed replays the same faults.
            rng = self._rngs.setdefault(
                request.service, random.Random(f"{self._seed}/{request.service}")
            )
            draw = rng.random()
            if draw < self.throttle:
                return throttle_for(request.service)
            if draw < self.throttle + self.server_errors:
                return server_error_for(request.service, rng)
        return None

    def count(self, fault: Fault | None) -> None:
        with self._lock:
            if fault is None:
                self.stats.forwarded += 1
            else:
                self.stats.faults[fault.code] += 1

    def forward(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        connection = http.client.HTTPConnection(self._host, self._port, timeout=60)
        try:
            connection.request(method, path, body=body or None, headers=headers)
            response = connection.getresponse()
            data = response.read()
            kept = [(k, v) for k, v in response.getheaders() if k.lower() not in _HOP_BY_HOP]
            return response.status, kept, data
        finally:
            connection.close()


def parse_request(method: str, path: str, headers: dict[str, str], body: bytes) -> Request:
    scope = _SCOPE.search(headers.get("Authorization", ""))
    region, service = (scope.group(1), scope.group(2)) if scope else ("", "")
    target = headers.get("X-Amz-Target", "")
    if not target and b"Action=" in body:
        match = re.search(rb"(?:^|&)Action=([A-Za-z0-9]+)", body)
        target = match.group(1).decode() if match else ""
    return Request(method, path, service, region, target, body)


def _handler_for(proxy: FaultProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k: v for k, v in self.headers.items()}
            request = parse_request(self.command, self.path, headers, body)
            fault = proxy.choose(request)
            proxy.count(fault)
            try:
                if fault is not None and fault.delay:
                    time.sleep(fault.delay)
                if fault is not None and fault.body is not None:
                    data, status = fault.body, fault.status
                    reply_headers = [("Content-Type", "application/json")]
                elif fault is None or fault.forward_after_delay or fault.cut is not None:
                    status, reply_headers, data = proxy.forward(
                        self.command, self.path, headers, body
                    )
                else:
                    data, extra = error_body(request.service, fault)
                    status, reply_headers = fault.status, list(extra.items())
                length, sent = len(data), data
                if fault is not None and fault.cut is not None:
                    sent = data[: int(len(data) * fault.cut)]
                    length = len(data) if fault.break_after else len(sent)
                self.send_response(status)
                for name, value in reply_headers:
                    if name.lower() != "content-length":
                        self.send_header(name, value)
                self.send_header("Content-Length", str(length))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(sent)
                if fault is not None and fault.break_after:
                    self._break(fault)
            except (BrokenPipeError, ConnectionResetError):
                # The client gave up (its read timeout passed): nothing left to answer.
                self.close_connection = True

        def _break(self, fault: Fault) -> None:
            self.wfile.flush()
            if fault.break_after == "stall":
                time.sleep(fault.stall)
            else:  # SO_LINGER 0: close() sends a TCP RST instead of a clean FIN
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
            self.close_connection = True

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = _serve

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler
