"""A network guard for tests: any connection to anything but loopback is refused.

This guards the network, it does not mock our code: every loopback connection (moto, the WA
Tool emulator) goes through untouched, and a connection anywhere else fails the test loudly.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

LOOPBACK = {"127.0.0.1", "::1", "localhost"}


class LeftLoopback(AssertionError):
    pass


@contextmanager
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Refuse every connection not to 127.0.0.1/::1; yields the refused addresses."""
    refused: list[Any] = []
    connect = socket.socket.connect
    connect_ex = socket.socket.connect_ex
    create_connection = socket.create_connection

    def host_of(address: Any) -> str:
        return str(address[0]) if isinstance(address, tuple) else str(address)

    def check(address: Any) -> None:
        if isinstance(address, tuple) and host_of(address) not in LOOPBACK:
            refused.append(address)
            raise LeftLoopback(f"connection to {address!r} refused: tests stay on loopback")

    def guarded_connect(self: socket.socket, address: Any) -> None:
        check(address)
        connect(self, address)

    def guarded_connect_ex(self: socket.socket, address: Any) -> int:
        check(address)
        return connect_ex(self, address)

    def guarded_create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        check(address)
        return create_connection(address, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
    monkeypatch.setattr(socket, "create_connection", guarded_create_connection)
    yield refused
