"""A local AWS Well-Architected Tool for tests and the demo: the REST-JSON API on 127.0.0.1.

moto has no Well-Architected backend. This serves the operations `wa-review push` uses, routed by
method and path exactly as botocore's `wellarchitected` 2020-03-31 model defines them, so a real
boto3 client serialises, signs, retries and parses for real. Every request is logged; the next N
requests can be throttled; a new workload can answer ResourceNotFound for its first N requests.

    with WaToolEmulator() as emulator:
        client = boto3.client("wellarchitected", endpoint_url=emulator.url, ...)

Run standalone: `wa-review emulator --port 8787` or `python -m wa_review.watool.emulator --port
8787` (binds 127.0.0.1 only).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import threading
import uuid
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit

from wa_review.watool import emulator_answers as answers
from wa_review.watool import emulator_report as report
from wa_review.watool import emulator_upgrade as upgrade
from wa_review.watool.emulator_lens import Lens, serverless_lens, wellarchitected_lens
from wa_review.watool.emulator_routes import route_params, routes
from wa_review.watool.emulator_store import EmulatedError, Params, WaToolState

logger = logging.getLogger(__name__)

HOST = "127.0.0.1"
LOG_MAX = 10_000

OPERATIONS: dict[str, Callable[[WaToolState, Params], dict[str, Any]]] = {
    "ListWorkloads": WaToolState.list_workloads,
    "CreateWorkload": WaToolState.create_workload,
    "GetWorkload": WaToolState.get_workload,
    "UpdateWorkload": WaToolState.update_workload,
    "GetLens": WaToolState.get_lens,
    "AssociateLenses": WaToolState.associate_lenses,
    "CreateMilestone": report.create_milestone,
    "ListMilestones": report.list_milestones,
    "GetLensReview": answers.get_lens_review,
    "ListAnswers": answers.list_answers,
    "GetAnswer": answers.get_answer,
    "UpdateAnswer": answers.update_answer,
    "GetLensReviewReport": report.get_lens_review_report,
    "UpgradeLensReview": upgrade.upgrade_lens_review,
}


@dataclass(frozen=True, slots=True)
class LoggedRequest:
    """One request the emulator answered; `params` uses botocore member names."""

    method: str
    path: str
    operation: str | None
    params: Mapping[str, Any]
    status: int
    error_code: str | None = None
    region: str | None = None
    user_agent: str = ""

    @property
    def is_write(self) -> bool:
        """Anything but Get*/List* changes (or would change) WA Tool state."""
        return self.operation is None or not self.operation.startswith(("Get", "List"))


_CREDENTIAL = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/")


@dataclass
class _Faults:
    throttle_left: int = 0
    throttle_status: int = 429
    throttle_operation: str | None = None
    code: str = "ThrottlingException"


@dataclass
class _Reply:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


class WaToolEmulator:
    """The emulator: thread-safe state, a request log and fault switches behind an HTTP server."""

    def __init__(
        self,
        *,
        port: int = 0,
        lenses: Sequence[Lens] | None = None,
        not_found_window: int = 0,
    ) -> None:
        self._port = port
        self._lock = threading.RLock()
        self._log: deque[LoggedRequest] = deque(maxlen=LOG_MAX)
        self._faults = _Faults()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.state = self._new_state(lenses, not_found_window)

    @staticmethod
    def _new_state(lenses: Sequence[Lens] | None, not_found_window: int) -> WaToolState:
        chosen = list(lenses) if lenses is not None else [wellarchitected_lens(), serverless_lens()]
        if not any(lens.alias == "wellarchitected" for lens in chosen):
            chosen.insert(0, wellarchitected_lens())
        return WaToolState(
            lenses={lens.alias: lens for lens in chosen}, not_found_window=not_found_window
        )

    # -- life cycle --------------------------------------------------------------------------

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("The WA Tool emulator is not running; call start() first")
        return f"http://{HOST}:{self._server.server_address[1]}"

    def start(self) -> WaToolEmulator:
        if self._server is not None:
            return self
        routes()  # read the model before the first request, not during it
        self._server = ThreadingHTTPServer((HOST, self._port), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="wa-tool-emulator",
            daemon=True,
        )
        self._thread.start()
        logger.debug("WA Tool emulator listening on %s", self.url)
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> WaToolEmulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- test controls -----------------------------------------------------------------------

    def reset(self, *, lenses: Sequence[Lens] | None = None, not_found_window: int = 0) -> None:
        """Forget every workload, the log and the fault switches; optionally swap the lenses."""
        with self._lock:
            self.state = self._new_state(lenses, not_found_window)
            self._log.clear()
            self._faults = _Faults()

    def set_lens(self, lens: Lens, *, latest: Lens | None = None) -> None:
        """Serve `lens` from now on (existing answers are kept by question and choice id).

        `latest` is the version UpgradeLensReview moves a NOT_CURRENT review of this lens to
        (default: the same questions, one day newer).
        """
        if latest is not None and latest.alias != lens.alias:
            raise ValueError(f"latest is lens {latest.alias}, not {lens.alias}")
        with self._lock:
            self.state.lenses[lens.alias] = lens
            if latest is None:
                self.state.latest.pop(lens.alias, None)
            else:
                self.state.latest[lens.alias] = latest

    def share_read_only(self, workload_id: str, *, owner: str = "210987654321") -> None:
        """Make a workload one another account shares with ours, READONLY: writes to it are
        AccessDeniedException (AWS's workload sharing documentation)."""
        with self._lock:
            workload = self.state.workloads[workload_id]
            workload.read_only, workload.owner = True, owner

    def set_not_found_window(self, requests: int) -> None:
        """New workloads answer ResourceNotFound to their first `requests` requests."""
        with self._lock:
            self.state.not_found_window = requests

    def throttle(self, count: int, *, status: int = 429, operation: str | None = None) -> None:
        """Answer the next `count` requests (of `operation`, if given) with ThrottlingException."""
        if status not in (400, 429):
            raise ValueError("ThrottlingException is answered with HTTP 400 or 429")
        with self._lock:
            self._faults = _Faults(count, status, operation)

    def refuse(self, count: int, *, operation: str, code: str) -> None:
        """Answer the next `count` requests of `operation` with error `code` (one botocore does
        not retry, e.g. AccessDeniedException or ValidationException)."""
        with self._lock:
            self._faults = _Faults(count, 0, operation, code)

    @property
    def requests(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self._log)

    def operations(self) -> list[str]:
        return [r.operation or f"{r.method} {r.path}" for r in self.requests]

    def writes(self) -> list[LoggedRequest]:
        return [r for r in self.requests if r.is_write]

    def clear_log(self) -> None:
        with self._lock:
            self._log.clear()

    # -- request handling --------------------------------------------------------------------

    def dispatch(self, method: str, target: str, headers: Mapping[str, str], body: bytes) -> _Reply:
        """Answer one request: route it, apply faults, run the operation, log it."""
        parts = urlsplit(target)
        path = unquote(parts.path)
        region_match = _CREDENTIAL.search(headers.get("Authorization", ""))
        region = region_match.group(1) if region_match else None
        route = next(
            (r for r in routes() if r.method == method and r.pattern.match(parts.path) is not None),
            None,
        )
        params: Params = {}
        with self._lock:
            try:
                if route is None:
                    raise EmulatedError(
                        "UnknownOperationException", f"No operation for {method} {path}"
                    )
                params = route_params(route, parts.path, parts.query, body)
                # Workloads live per Region: the request's Region is the one it signed for.
                self.state.region = region or "us-east-1"
                self._maybe_throttle(route.operation)
                operation = OPERATIONS.get(route.operation)
                if operation is None:
                    raise EmulatedError(
                        "ValidationException",
                        f"{route.operation} is not emulated",
                        Reason="UNKNOWN_OPERATION",
                    )
                reply = _Reply(200, json.dumps(operation(self.state, params)).encode())
                code = None
            except Exception as err:  # an emulator bug must reach the test as a 500, not a hang
                error = err if isinstance(err, EmulatedError) else _internal(err)
                throttled = error.code == "ThrottlingException"
                status = self._faults.throttle_status if throttled else 0
                reply = _Reply(status or error.status, json.dumps(error.body()).encode())
                reply.headers["x-amzn-ErrorType"] = error.code
                code = error.code
            self._log.append(
                LoggedRequest(
                    method=method,
                    path=path,
                    operation=route.operation if route else None,
                    params=params,
                    status=reply.status,
                    error_code=code,
                    region=region,
                    user_agent=headers.get("User-Agent", ""),
                )
            )
        reply.headers["Content-Type"] = "application/json"
        reply.headers["x-amzn-RequestId"] = str(uuid.uuid4())
        return reply

    def _maybe_throttle(self, operation: str) -> None:
        faults = self._faults
        if faults.throttle_left > 0 and faults.throttle_operation in (None, operation):
            faults.throttle_left -= 1
            if faults.code != "ThrottlingException":
                raise EmulatedError(faults.code, f"{operation} refused by a test fault")
            raise EmulatedError(
                "ThrottlingException", "Rate exceeded", ServiceCode="wellarchitected"
            )


def _internal(err: Exception) -> EmulatedError:
    logger.exception("WA Tool emulator failed")
    return EmulatedError("InternalServerException", f"Emulator bug: {type(err).__name__}: {err}")


def _handler_for(emulator: WaToolEmulator) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out separately: no 40 ms stalls
        server_version = "wa-tool-emulator"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k: v for k, v in self.headers.items()}
            reply = emulator.dispatch(self.command, self.path, headers, body)
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

        do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:
            logger.debug("%s " + format, self.address_string(), *args)

    return Handler


def main(argv: Sequence[str] | None = None) -> int:
    """Serve until interrupted; the first line on stdout is the endpoint URL."""
    parser = argparse.ArgumentParser(prog="python -m wa_review.watool.emulator")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free)")
    parser.add_argument("--fillers", type=int, default=0, help="extra security questions")
    parser.add_argument("--not-found-window", type=int, default=0)
    parser.add_argument("--lens-status", default="CURRENT")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO)
    lens = serverless_lens(filler_questions=args.fillers, status=args.lens_status)
    emulator = WaToolEmulator(port=args.port, lenses=[lens], not_found_window=args.not_found_window)
    with emulator:
        sys.stdout.write(f"{emulator.url}\n")
        sys.stdout.flush()
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            logger.info("WA Tool emulator stopped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
