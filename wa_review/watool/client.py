"""The boto3 `wellarchitected` client: how we build it and how its errors reach the user."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any, Literal

from botocore.config import Config
from botocore.exceptions import (
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
    PartialCredentialsError,
)

from wa_review import __version__
from wa_review.errors import CredentialsError, UsageError, WaToolError

logger = logging.getLogger(__name__)

# No boto3 type stubs for wellarchitected are installed; the client is duck-typed.
WaClient = Any
DEFAULT_REGION = "us-east-1"
IAM_HINT = "see 'wa-review iam-policy --push'"

_HINTS = {
    "AccessDeniedException": "Grant wellarchitected:{operation} ({iam}).",
    "ThrottlingException": "The WA Tool kept throttling after retries; wait a minute, then push again.",
    "ResourceNotFoundException": "Check the workload id and the region (--region).",
    "ConflictException": "Someone changed this workload at the same time; push again.",
    "InternalServerException": "The WA Tool failed on its side; push again later.",
    "ValidationException": (
        "The WA Tool rejected the request. If the review file validated, this is a wa-review "
        "bug: report it with the message above."
    ),
}


@dataclass(frozen=True, slots=True)
class FreshRetry:
    """Retry ResourceNotFound for a workload created moments ago (the service needs a moment)."""

    attempts: int = 6
    delay: float = 2.0
    sleep: Callable[[float], None] = field(default=time.sleep)


def resolve_region(region: str | None, session: Any = None) -> str:
    """`--region`, else the session's default region, else us-east-1."""
    if region:
        return region
    if session is None:
        import boto3

        session = boto3.Session()
    return str(session.region_name or DEFAULT_REGION)


def watool_regions() -> list[str]:
    """The Regions botocore knows a WA Tool endpoint in, every partition."""
    import boto3

    session = boto3.Session()
    return sorted(
        {
            region
            for partition in session.get_available_partitions()
            for region in session.get_available_regions("wellarchitected", partition)
        }
    )


def check_region(region: str, *, endpoint_url: str | None = None) -> str:
    """Refuse, in no time, a Region with no WA Tool endpoint (a typo such as us-east-9 would
    otherwise cost every retry of a connection that cannot succeed). An explicit endpoint
    (an emulator, a new Region) is trusted."""
    import os

    if endpoint_url or os.environ.get("AWS_ENDPOINT_URL_WELLARCHITECTED"):
        return region
    if os.environ.get("AWS_ENDPOINT_URL"):
        return region
    known = watool_regions()
    if region not in known:
        raise UsageError(
            f"The WA Tool has no endpoint in Region {region!r}.",
            hint=f"Use one of: {', '.join(known)}. If AWS opened it there after this wa-review "
            f"was built, pass --endpoint-url https://wellarchitected.{region}.amazonaws.com.",
        )
    return region


def make_client(
    *,
    region: str,
    endpoint_url: str | None = None,
    session: Any = None,
    retry_mode: Literal["legacy", "standard", "adaptive"] = "adaptive",
    max_attempts: int = 10,
) -> WaClient:
    """A `wellarchitected` client with retries and our user agent.

    `endpoint_url` overrides; otherwise boto3 itself honours AWS_ENDPOINT_URL and
    AWS_ENDPOINT_URL_WELLARCHITECTED.
    """
    import boto3

    config = Config(
        retries={"mode": retry_mode, "max_attempts": max_attempts},
        user_agent_extra=f"wa-review/{__version__}",
    )
    session = session or boto3.Session()
    return session.client(
        "wellarchitected", region_name=region, endpoint_url=endpoint_url or None, config=config
    )


def error_code(err: ClientError) -> str:
    return str(err.response.get("Error", {}).get("Code", "Unknown"))


def watool_error(operation: str, err: ClientError, *, subject: str = "") -> WaToolError:
    code = error_code(err)
    message = err.response.get("Error", {}).get("Message", "")
    where = f" on {subject}" if subject else ""
    hint = _HINTS.get(code, "").format(operation=operation, iam=IAM_HINT)
    return WaToolError(f"WA Tool {operation}{where} failed: {code}: {message}", hint=hint)


def call(
    client: WaClient,
    operation: str,
    *,
    fresh: FreshRetry | None = None,
    passthrough: Collection[str] = (),
    subject: str = "",
    **params: Any,
) -> dict[str, Any]:
    """Call one WA Tool operation (CamelCase name), turning failures into WaToolError.

    Args:
        fresh: retry ResourceNotFound this way (the workload was just created).
        passthrough: error codes re-raised as the original ClientError for the caller.
        subject: what the call is about, for the error message.
    """
    from botocore import xform_name

    method = getattr(client, xform_name(operation))
    attempts = fresh.attempts if fresh else 1
    for attempt in range(1, attempts + 1):
        try:
            response: dict[str, Any] = method(**params)
            return response
        except ClientError as err:
            code = error_code(err)
            if code in passthrough:
                raise
            if fresh and code == "ResourceNotFoundException" and attempt < attempts:
                logger.info("%s: the new workload is not visible yet; retrying", operation)
                fresh.sleep(fresh.delay)
                continue
            raise watool_error(operation, err, subject=subject) from err
        except (NoCredentialsError, PartialCredentialsError) as err:
            raise CredentialsError(
                f"No usable AWS credentials for the WA Tool ({operation}).",
                hint="Set AWS_PROFILE or run 'aws sso login', then push again.",
            ) from err
        except EndpointConnectionError as err:
            raise WaToolError(
                f"Could not reach the WA Tool endpoint: {err}",
                hint="Check --region (the WA Tool is not in every Region) and --endpoint-url.",
            ) from err
    raise AssertionError("unreachable")  # pragma: no cover
