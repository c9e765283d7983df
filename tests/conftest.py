"""Shared fixtures: loopback-only network, moto in-process and a moto server on 127.0.0.1."""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
import pytest

from wa_review.aws.context import AwsContext, AwsOptions
from wa_review.aws.ratelimit import RateLimits

REGION = "us-east-1"
ACCOUNT = "123456789012"  # moto's default account

_real_connect = socket.socket.connect


def _loopback_only(sock: socket.socket, address: Any) -> Any:
    """Refuse any connection that is not to loopback: tests never leave this machine."""
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0]
        try:
            allowed = ipaddress.ip_address(host).is_loopback
        except ValueError:
            allowed = host == "localhost"
        if not allowed:
            raise ConnectionRefusedError(f"test tried to reach {host}: only loopback is allowed")
    return _real_connect(sock, address)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)


def isolate_aws_env(patch: pytest.MonkeyPatch) -> None:
    """Fake credentials and no endpoint override (mock_aws would not intercept with one)."""
    for key in list(os.environ):
        if key.startswith("AWS_ENDPOINT_URL") or key in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
            patch.delenv(key)
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        patch.setenv(key, "testing")
    patch.setenv("AWS_DEFAULT_REGION", REGION)
    patch.setenv("AWS_CONFIG_FILE", os.devnull)
    patch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    isolate_aws_env(monkeypatch)


@contextmanager
def _mocked() -> Iterator[Any]:
    from moto import mock_aws

    with mock_aws(config={"core": {"reset_boto3_session": False}}):
        yield boto3.Session(region_name=REGION)


@pytest.fixture
def moto(aws_env: None) -> Iterator[Any]:
    """moto in-process; yields a boto3 Session to build fixtures with and inject into the app."""
    with _mocked() as session:
        yield session


@contextmanager
def module_moto() -> Iterator[Any]:
    """The `moto` fixture's account and isolation, held for a module-scoped fixture.

    The autouse loopback guard is per test and a module fixture builds before it, so this
    holds its own.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", _loopback_only)
        isolate_aws_env(patch)
        with _mocked() as session:
            yield session


def make_context(
    session: Any, *, regions: tuple[str, ...] = (REGION,), **options: Any
) -> AwsContext:
    """An AwsContext that uses the injected session (the way tests and the demo reach moto)."""
    return AwsContext(
        # The client-side quota limiter has its own tests; here it would only slow moto down.
        AwsOptions(regions=regions, max_attempts=2, **{"rate_limits": RateLimits.off(), **options}),
        session_factory=lambda **kw: boto3.Session(**kw) if "aws_access_key_id" in kw else session,
    )


@pytest.fixture(scope="session")
def moto_server() -> Iterator[str]:
    """A moto server over real HTTP on 127.0.0.1 (a free port), for end-to-end runs."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def moto_url(moto_server: str, aws_env: None) -> str:
    """The server, reset to an empty account for this test."""
    import urllib.request

    urllib.request.urlopen(urllib.request.Request(f"{moto_server}/moto-api/reset", method="POST"))
    return moto_server
