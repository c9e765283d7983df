"""The demo's WA Tool: the project's emulator on 127.0.0.1, reached with the demo's fake
credentials, whatever endpoint or credentials the environment holds. A demo never leaves
loopback, headless or in the terminal UI."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from wa_review.demo.server import demo_session
from wa_review.watool.emulator import WaToolEmulator


@dataclass(frozen=True, slots=True)
class DemoWaTool:
    url: str

    def client(self, region: str) -> Any:
        """A `wellarchitected` client for the emulator: the explicit endpoint wins over
        AWS_ENDPOINT_URL*, and the credentials are the demo's, never the reviewer's."""
        from wa_review.watool.client import make_client

        return make_client(region=region, endpoint_url=self.url, session=demo_session())


@contextmanager
def running_demo_watool() -> Iterator[DemoWaTool]:
    with WaToolEmulator() as emulator:
        yield DemoWaTool(emulator.url)
