"""What a reviewer feels of `wa-review demo` and `wa-review --help`, in a real terminal (a pty):
seconds to the first frame, to the overview, and from `q` to the process's end.

Run: python -m bench.demo_speed [--runs 3]
The first frame is the terminal switching to the alternate screen (Textual's first write); the
overview is the first time the "Fix first" heading is drawn; quit is `q` until the process has
exited. Numbers depend on the machine's load: record it with them.
"""

from __future__ import annotations

import argparse
import json
import os
import pty
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ALT_SCREEN = b"\x1b[?1049h"
OVERVIEW = b"Fix first"
TIMEOUT = 120.0


def _read_until(fd: int, needle: bytes, seen: bytearray, deadline: float) -> float | None:
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return None
            if not chunk:
                return None
            seen += chunk
            if needle in seen:
                return time.perf_counter()
    return None


def demo_once(workdir: Path) -> dict[str, float | None]:
    main, child = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "wa_review", "demo", "-o", str(workdir)],
        stdin=child,
        stdout=child,
        stderr=child,
        env=env,
        start_new_session=True,
    )
    os.close(child)
    seen = bytearray()
    deadline = start + TIMEOUT
    frame = _read_until(main, ALT_SCREEN, seen, deadline)
    overview = _read_until(main, OVERVIEW, seen, deadline)
    asked = time.perf_counter()
    os.write(main, b"q")
    try:
        proc.wait(timeout=60)
        ended: float | None = time.perf_counter()
    except subprocess.TimeoutExpired:
        proc.kill()
        ended = None
    os.close(main)
    return {
        "first frame s": round(frame - start, 3) if frame else None,
        "overview s": round(overview - start, 3) if overview else None,
        "quit s": round(ended - asked, 3) if ended else None,
    }


def help_once() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "wa_review", "--help"], capture_output=True, check=True)
    return round(time.perf_counter() - start, 3)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    runs = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as folder:
            runs.append(demo_once(Path(folder)))
    result: dict[str, Any] = {"runs": runs, "help s": [help_once() for _ in range(args.runs)]}
    for key in ("first frame s", "overview s", "quit s"):
        values = [r[key] for r in runs if r[key] is not None]
        result[f"median {key}"] = statistics.median(values) if values else None
    result["median help s"] = statistics.median(result["help s"])
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
