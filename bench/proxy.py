"""A loopback proxy that makes a moto server behave like AWS's control plane under load.

Every request waits `latency` seconds (a round trip to a region) and draws from a token bucket
per (region, quota family); when the bucket is empty the proxy answers the throttling error
the service's protocol uses, as AWS would, without forwarding. Counts of forwarded and
throttled requests per family are served at GET /__bench__/stats (reset with POST
/__bench__/reset), so the benchmark measures throttling from the server's side.

Run: python -m bench.proxy --upstream http://127.0.0.1:PORT [--latency 0.04]
It prints its own URL on the first line of stdout, then serves until killed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from wa_review.aws.ratelimit import Quota, RateLimits

STATS_PATH = "/__bench__/stats"
RESET_PATH = "/__bench__/reset"
_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length"}
_SCOPE = re.compile(r"Credential=([^/]+)/\d{8}/([^/]+)/([^/]+)/aws4_request")
# rest-json operations the quota table names; everything else of those services is counted
# under its method and path shape.
_LAMBDA_POLICY = re.compile(r"^/\d{4}-\d{2}-\d{2}/functions/[^/]+/policy/?$")
_LAMBDA_FUNCTION = re.compile(r"^/\d{4}-\d{2}-\d{2}/functions/[^/]+/?$")
_APIGW_RESOURCES = re.compile(r"^/restapis/[^/]+/resources/?$")


class ServerBucket:
    """AWS's side of a quota: a request is served if a token is there, refused otherwise."""

    def __init__(self, quota: Quota) -> None:
        self.quota = quota
        self._tokens = quota.capacity
        self._stamp = time.monotonic()
        self._lock = threading.Lock()

    def try_take(self) -> bool:
        with self._lock:
            now = time.monotonic()
            self._tokens = min(
                self.quota.capacity, self._tokens + (now - self._stamp) * self.quota.rate
            )
            self._stamp = now
            if self._tokens < 1.0:
                return False
            self._tokens -= 1.0
            return True


@dataclass(frozen=True, slots=True)
class Call:
    service: str  # the SigV4 signing name (apigateway for v1 and v2)
    region: str
    operation: str
    protocol: str  # rest-json | json | query | ec2 | rest-xml
    # The caller's access key: AWS's quotas are per account, and each account of an
    # organization review signs with the keys of its own assumed role.
    key: str = ""


def classify(method: str, path: str, headers: Mapping[str, str], body: bytes) -> Call:
    """Which service, region and operation a signed AWS request is for."""
    scope = _SCOPE.search(headers.get("Authorization", ""))
    key, service, region = (
        (scope.group(1), scope.group(3), scope.group(2)) if scope else ("", "unknown", "")
    )
    return replace(_classify(method, path, headers, body, service, region), key=key)


def _classify(
    method: str, path: str, headers: Mapping[str, str], body: bytes, service: str, region: str
) -> Call:
    target = headers.get("X-Amz-Target", "")
    if target:
        return Call(service, region, target.rsplit(".", 1)[-1], "json")
    content_type = headers.get("Content-Type", "")
    if method == "POST" and "x-www-form-urlencoded" in content_type:
        action = parse_qs(body.decode("utf-8", "replace")).get("Action", [""])[0]
        return Call(service, region, action, "ec2" if service == "ec2" else "query")
    route = urlsplit(path).path
    if service == "lambda":
        if method == "GET" and _LAMBDA_POLICY.match(route):
            return Call(service, region, "GetPolicy", "rest-json")
        if method == "GET" and _LAMBDA_FUNCTION.match(route):
            return Call(service, region, "GetFunction", "rest-json")
    if service == "apigateway" and method == "GET" and _APIGW_RESOURCES.match(route):
        return Call(service, region, "GetResources", "rest-json")
    # Other REST calls are named by their method only: the quota families above are all the
    # proxy needs to tell apart (the client counts calls per operation itself).
    return Call(service, region, method, "rest-xml" if service == "s3" else "rest-json")


def throttle_response(call: Call) -> tuple[int, dict[str, str], bytes]:
    """The error AWS answers when a quota is exceeded, in the call's protocol."""
    request_id = str(uuid.uuid4())
    if call.protocol == "rest-json":
        body = json.dumps({"Type": "User", "message": "Rate exceeded"}).encode()
        headers = {
            "Content-Type": "application/json",
            "x-amzn-ErrorType": "TooManyRequestsException",
            "x-amzn-RequestId": request_id,
        }
        return 429, headers, body
    if call.protocol == "json":
        body = json.dumps({"__type": "ThrottlingException", "message": "Rate exceeded"}).encode()
        headers = {"Content-Type": "application/x-amz-json-1.0", "x-amzn-RequestId": request_id}
        return 400, headers, body
    if call.protocol == "ec2":
        body = (
            "<?xml version='1.0' encoding='UTF-8'?><Response><Errors><Error>"
            "<Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message>"
            f"</Error></Errors><RequestID>{request_id}</RequestID></Response>"
        ).encode()
        return 503, {"Content-Type": "text/xml"}, body
    body = (
        "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>"
        f"<Message>Rate exceeded</Message></Error><RequestId>{request_id}</RequestId>"
        "</ErrorResponse>"
    ).encode()
    return 400, {"Content-Type": "text/xml"}, body


class ProxyState:
    """Buckets and counters shared by the handler threads."""

    def __init__(self, upstream: str, latency: float, limits: RateLimits) -> None:
        parts = urlsplit(upstream)
        self.upstream_host = parts.hostname or "127.0.0.1"
        self.upstream_port = parts.port or 80
        self.latency = latency
        self.limits = limits
        self._lock = threading.Lock()
        self._buckets: dict[tuple[str, str, str], ServerBucket] = {}
        self.forwarded: Counter[str] = Counter()
        self.throttled: Counter[str] = Counter()
        self.local = threading.local()

    def admit(self, call: Call) -> tuple[bool, str]:
        """Whether the call's quota has a token now; and the key it is counted under."""
        family = self.limits.family(call.service, call.operation) if self.limits.enabled else None
        key = family or f"{call.service}:{call.operation}"
        if family is None:
            return True, key
        with self._lock:
            bucket = self._buckets.get((call.key, call.region, family))
            if bucket is None:
                bucket = ServerBucket(self.limits.quotas[family])
                self._buckets[(call.key, call.region, family)] = bucket
        return bucket.try_take(), key

    def count(self, key: str, *, throttled: bool) -> None:
        with self._lock:
            (self.throttled if throttled else self.forwarded)[key] += 1

    def stats(self) -> dict[str, Any]:
        with self._lock:
            return {"forwarded": dict(self.forwarded), "throttled": dict(self.throttled)}

    def reset(self) -> None:
        with self._lock:
            self.forwarded.clear()
            self.throttled.clear()

    def connection(self) -> http.client.HTTPConnection:
        conn: http.client.HTTPConnection | None = getattr(self.local, "conn", None)
        if conn is None:
            conn = http.client.HTTPConnection(self.upstream_host, self.upstream_port, timeout=120)
            self.local.conn = conn
        return conn


class ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: ProxyServer

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: one line per request would cost more than the request."""

    def _reply(self, status: int, headers: Mapping[str, str], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _handle(self) -> None:
        state = self.server.state
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.path == STATS_PATH:
            self._reply(
                200, {"Content-Type": "application/json"}, json.dumps(state.stats()).encode()
            )
            return
        if self.path == RESET_PATH:
            state.reset()
            self._reply(204, {}, b"")
            return
        headers = {k: v for k, v in self.headers.items()}
        call = classify(self.command, self.path, headers, body)
        admitted, key = state.admit(call)
        time.sleep(state.latency)
        state.count(key, throttled=not admitted)
        if not admitted:
            self._reply(*throttle_response(call))
            return
        status, reply_headers, reply = self._forward(body)
        self._reply(status, reply_headers, reply)

    def _forward(self, body: bytes) -> tuple[int, dict[str, str], bytes]:
        state = self.server.state
        for attempt in (1, 2):  # a kept-alive upstream connection may have been closed
            conn = state.connection()
            try:
                conn.request(self.command, self.path, body=body, headers=dict(self.headers.items()))
                answer = conn.getresponse()
                data = answer.read()
            except (ConnectionError, http.client.HTTPException):
                conn.close()
                state.local.conn = None
                if attempt == 2:
                    raise
                continue
            headers = {k: v for k, v in answer.getheaders() if k.lower() not in _HOP_BY_HOP}
            return answer.status, headers, data
        raise AssertionError("unreachable")

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _handle


class ProxyServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, state: ProxyState, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), ProxyHandler)
        self.state = state

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


def start_proxy(
    upstream: str, *, latency: float = 0.04, limits: RateLimits | None = None, port: int = 0
) -> ProxyServer:
    """A proxy serving on a background thread; stop it with .shutdown() and .server_close()."""
    server = ProxyServer(ProxyState(upstream, latency, limits or RateLimits()), port)
    threading.Thread(target=server.serve_forever, name="bench-proxy", daemon=True).start()
    return server


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upstream", required=True, help="the moto server's URL")
    parser.add_argument("--latency", type=float, default=0.04, help="seconds added per call")
    parser.add_argument("--no-quotas", action="store_true", help="add latency only")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    limits = RateLimits.off() if args.no_quotas else None
    server = ProxyServer(ProxyState(args.upstream, args.latency, limits or RateLimits()), args.port)
    sys.stdout.write(server.url + "\n")
    sys.stdout.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
