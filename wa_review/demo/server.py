"""The sample account's home: a moto server on 127.0.0.1, reached through the normal AWS path."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import boto3

from wa_review.aws.context import AwsContext, AwsOptions
from wa_review.demo.account import build_account
from wa_review.demo.network import REGION
from wa_review.errors import WaReviewError


# Fake credentials for the emulator only: the reviewer's own credentials are never read.
def demo_session(**_: Any) -> Any:
    return boto3.Session(
        region_name=REGION,
        aws_access_key_id="demo",
        aws_secret_access_key="demo-secret",
        aws_session_token="demo-token",
    )


@dataclass(frozen=True, slots=True)
class DemoAccount:
    url: str
    names: dict[str, str]

    def options(self) -> AwsOptions:
        return AwsOptions(regions=(REGION,), endpoint_url=self.url, max_attempts=3)

    def context(self) -> AwsContext:
        """A normal, read-only AwsContext pointed at the emulator."""
        return AwsContext(self.options(), session_factory=demo_session)


@contextmanager
def running_demo_account() -> Iterator[DemoAccount]:
    """Start moto (behind the APIs it lacks) on a free loopback port, build the airline in it,
    stop it afterwards."""
    try:
        from moto.moto_server.werkzeug_app import MotoRequestHandler
        from werkzeug.serving import make_server
    except ImportError as err:
        raise WaReviewError(
            "The sample account needs moto, which is not installed.",
            hint="Install the demo extra: pip install 'wa-review[demo]' (or pip install '.[demo]').",
        ) from err
    from moto.moto_api._internal.models import moto_api_backend

    from wa_review.demo.extra_apis import ExtraApis, quiet_moto_app

    # moto keeps its accounts process-wide: the airline is built in an empty account (what an
    # earlier sample account left would make "booking-role already exists"), and leaves nothing.
    moto_api_backend.reset()
    # The server logs every request; the review's screen is no place for that.
    for name in ("werkzeug", "moto"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    app = ExtraApis(quiet_moto_app())
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=MotoRequestHandler)
    thread = threading.Thread(target=server.serve_forever, name="demo-account", daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}"
        session = demo_session()
        # Building the account writes, so it uses its own unguarded clients; collection later
        # goes through the read-only AwsContext like any real review.
        names = build_account(lambda service: session.client(service, endpoint_url=url))
        app.airline_vpc = names["airline_vpc_id"]
        yield DemoAccount(url, names)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
        moto_api_backend.reset()
