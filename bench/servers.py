"""The benchmark's servers, each in a process of its own: moto, and the quota proxy before it.

Separate processes let moto, the proxy and the collector use both cores instead of sharing
one interpreter lock. Each child prints its URL on its first stdout line; it is stopped by
its own PID when the benchmark ends.

Run the moto child directly: python -m bench.servers
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# The children import `bench`, so they start in the checkout that holds it.
ROOT = Path(__file__).resolve().parents[1]

# Long enough for every quota bucket to refill (EC2: 100 tokens at 20/s), so each proxied run
# starts as on an account nobody else is calling.
REFILL_SECONDS = 6.0


def _child(args: Sequence[str]) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    if not line.startswith("http://127.0.0.1:"):
        proc.kill()
        raise RuntimeError(f"{' '.join(args)} did not start (said {line!r})")
    return proc, line


def _stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def moto_server() -> Iterator[str]:
    proc, url = _child(["-m", "bench.servers"])
    try:
        yield url
    finally:
        _stop(proc)


@contextmanager
def quota_proxy(upstream: str, *, latency: float, quotas: bool = True) -> Iterator[str]:
    args = ["-m", "bench.proxy", "--upstream", upstream, "--latency", str(latency)]
    proc, url = _child([*args, *([] if quotas else ["--no-quotas"])])
    try:
        yield url
    finally:
        _stop(proc)


def reset_moto(url: str) -> None:
    request = urllib.request.Request(f"{url}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=60):
        pass


def proxy_stats(url: str, *, reset: bool = False) -> dict[str, Any]:
    with urllib.request.urlopen(f"{url}/__bench__/stats", timeout=30) as answer:
        stats: dict[str, Any] = json.loads(answer.read())
    if reset:
        request = urllib.request.Request(f"{url}/__bench__/reset", method="POST")
        with urllib.request.urlopen(request, timeout=30):
            pass
    return stats


def main() -> None:
    from moto.server import ThreadedMotoServer

    # The threaded server logs every request; at thousands of calls that is real work.
    for name in ("werkzeug", "moto"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    sys.stdout.write(f"http://{host}:{port}\n")
    sys.stdout.flush()
    while True:  # until the parent stops this process by its PID
        time.sleep(3600)


if __name__ == "__main__":
    main()
