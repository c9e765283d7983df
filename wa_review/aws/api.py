"""What a collector gets: guarded clients for one account and region, calls that record failures."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import cache
from typing import Any, TypeVar

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)

from wa_review.aws.context import AccountSession, AwsContext
from wa_review.aws.scope import Scope
from wa_review.model.evidence import FetchError

T = TypeVar("T")
R = TypeVar("R")

# Error codes that mean "this region is not enabled for the account" rather than a real denial.
REGION_OFF_CODES = frozenset({"UnrecognizedClientException", "InvalidClientTokenId", "AuthFailure"})
# What moto (and an endpoint without the API) answers for an operation it lacks.
# A real 500 after retries is an AWS failure, not a missing API: only these codes mean "absent".
MISSING_API_CODES = frozenset({"NotImplemented", "404", "501"})


# Answers that mean "there is none" (no policy, no URL config, no logging): the collector reads
# them as facts, so they are not recorded as collection errors.
ABSENCE_CODES = frozenset(
    {
        "ResourceNotFoundException",
        "NoSuchBucketPolicy",
        "NoSuchPublicAccessBlockConfiguration",
        "PolicyNotFoundException",
        "WAFNonexistentItemException",
        "AWSOrganizationsNotInUseException",
    }
)


class CallFailed(Exception):
    """An AWS call failed after botocore's retries; carries the FetchError to record.

    `partial` holds what a paginated listing had listed before a page failed.
    """

    def __init__(self, error: FetchError, partial: Sequence[Any] = ()) -> None:
        super().__init__(error.reason())
        self.error = error
        self.partial: list[Any] = list(partial)

    @property
    def code(self) -> str:
        return self.error.code


class RegionApi:
    """One account + region: clients, calls, pagination and bounded fan-out for a collector."""

    def __init__(
        self,
        ctx: AwsContext,
        account: AccountSession,
        region: str,
        scope: Scope,
        *,
        pool: ThreadPoolExecutor,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> None:
        self.ctx = ctx
        self.account = account
        self.account_id = account.account
        self.region = region
        self.scope = scope
        self._pool = pool
        self.cancelled = cancelled

    def client(self, service: str) -> Any:
        return self.ctx.client(self.account, service, self.region)

    def call(
        self,
        service: str,
        operation: str,
        *,
        resource: str = "",
        absent: tuple[str, ...] = (),
        **params: Any,
    ) -> Any:
        """Call `operation` (snake_case); raise CallFailed with a recorded FetchError on failure.

        Error codes in `absent` mean "there is none" (NoSuchBucketPolicy, PolicyNotFound…): they
        still raise CallFailed, but are an answer rather than a failure, so they are not recorded.
        """
        client = self.client(service)
        with self._translated(service, operation, resource, absent):
            return getattr(client, operation)(**params)

    def paginate(
        self, service: str, operation: str, key: str, *, resource: str = "", **params: Any
    ) -> list[Any]:
        """All items under `key` across pages (botocore paginator, else the NextToken loop).

        A page that fails raises CallFailed carrying the items of the pages before it
        (`partial`), and its error says the list is incomplete.
        """
        client = self.client(service)
        items: list[Any] = []
        with self._translated(service, operation, resource, listed=items):
            for page in self._pages(client, operation, params):
                items.extend(page.get(key) or [])
                if self.cancelled():
                    break
        return items

    def listing(
        self, service: str, operation: str, key: str, *, resource: str = "", **params: Any
    ) -> tuple[list[Any], FetchError | None]:
        """What a listing found and why it is incomplete (None when whole): the resources
        listed before a page failed are judged, and the failure is UNKNOWN evidence."""
        try:
            return self.paginate(service, operation, key, resource=resource, **params), None
        except CallFailed as failed:
            return failed.partial, failed.error

    def _pages(self, client: Any, operation: str, params: dict[str, Any]) -> Iterator[Any]:
        if client.can_paginate(operation):
            yield from client.get_paginator(operation).paginate(**params)
            return
        token: str | None = None
        while True:
            page = getattr(client, operation)(**params, **({"NextToken": token} if token else {}))
            yield page
            token = page.get("NextToken")
            if not token:
                return

    @contextmanager
    def _translated(
        self,
        service: str,
        operation: str,
        resource: str,
        absent: tuple[str, ...] = (),
        *,
        listed: list[Any] | None = None,
    ) -> Iterator[None]:
        """Every way a call can fail becomes one CallFailed carrying a FetchError (and, for a
        listing, what it had listed)."""
        try:
            yield
        except ClientError as err:
            code, message = _client_error_parts(err)
            raise self._failed(
                service,
                operation,
                resource,
                code,
                message,
                record=code not in absent,
                listed=listed,
            ) from err
        except (ConnectTimeoutError, ReadTimeoutError) as err:
            raise self._timed_out(service, operation, resource, err, listed) from err
        except EndpointConnectionError as err:
            raise self._failed(
                service, operation, resource, "EndpointUnreachable", str(err), listed=listed
            ) from err
        except BotoCoreError as err:
            raise self._failed(
                service, operation, resource, type(err).__name__, str(err), listed=listed
            ) from err
        except NotImplementedError as err:
            # moto in-process raises this (not a ClientError) for an action it lacks.
            raise self._failed(
                service, operation, resource, "NotImplemented", str(err), listed=listed
            ) from err

    def fan_out(self, fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
        """Run `fn` over items on the shared bounded pool, keeping order.

        A fan-out from inside a pool task runs inline: waiting on the same bounded
        pool from one of its own workers could deadlock it.
        """
        todo: Sequence[T] = list(items)
        if len(todo) <= 1 or getattr(_worker, "active", False):
            return [fn(item) for item in todo]
        futures = [self._pool.submit(_as_worker, fn, item) for item in todo]
        return [f.result() for f in futures]

    def _timed_out(
        self,
        service: str,
        operation: str,
        resource: str,
        err: Exception,
        listed: list[Any] | None = None,
    ) -> CallFailed:
        # A stall is not an unreachable endpoint: say which timeout ran out, and after how much.
        options = self.ctx.options
        if isinstance(err, ReadTimeoutError):
            code, limit = "ReadTimeout", options.read_timeout
        else:
            code, limit = "ConnectTimeout", options.connect_timeout
        message = f"{err} (no answer within {limit:g} s, {options.max_attempts} attempts)"
        return self._failed(service, operation, resource, code, message, listed=listed)

    def _failed(
        self,
        service: str,
        operation: str,
        resource: str,
        code: str,
        message: str,
        *,
        record: bool = True,
        listed: list[Any] | None = None,
    ) -> CallFailed:
        if code in REGION_OFF_CODES:
            message = (
                f"{message} (the region {self.region} may not be enabled for account "
                f"{self.account_id})"
            )
        elif (
            code in MISSING_API_CODES
            or code == "ApiUnavailable"
            or "implemented" in message.lower()
        ):
            message = f"the endpoint at {self.ctx.options.endpoint_url or 'AWS'} does not offer {_aws_name(service, operation)}"
            code = "ApiUnavailable"
        if listed:
            message += f" (the list is incomplete: {len(listed)} listed before a page failed)"
        error = self._error(service, _aws_name(service, operation), resource, code, message)
        if record and code not in ABSENCE_CODES:
            self.ctx.recorder.record_error(error)
        return CallFailed(error, listed or ())

    def unusable(
        self, service: str, operation: str, resource: str, code: str, message: str
    ) -> FetchError:
        """An answer that came back but cannot be used: recorded like a failed call."""
        error = self._error(service, operation, resource, code, message)
        self.ctx.recorder.record_error(error)
        return error

    def _error(
        self, service: str, operation: str, resource: str, code: str, message: str
    ) -> FetchError:
        return FetchError(
            service=service,
            operation=operation,
            code=code,
            message=message,
            region=self.region,
            account=self.account_id,
            resource=resource,
        )


_worker = threading.local()


def _as_worker(fn: Callable[[T], R], item: T) -> R:
    _worker.active = True
    try:
        return fn(item)
    finally:
        _worker.active = False


def _client_error_parts(err: ClientError) -> tuple[str, str]:
    info = err.response.get("Error", {})
    code = str(info.get("Code") or err.response.get("ResponseMetadata", {}).get("HTTPStatusCode"))
    return code, str(info.get("Message") or err)


def _camel(snake: str) -> str:
    return "".join(part.capitalize() for part in snake.split("_"))


@cache
def _operation_names(service: str) -> dict[str, str]:
    """boto3 method name -> the operation's name as AWS spells it (ListResourcesForWebACL)."""
    import botocore.session
    from botocore import xform_name
    from botocore.exceptions import UnknownServiceError

    try:
        model = botocore.session.get_session().get_service_model(service)
    except UnknownServiceError:  # only the exact spelling is lost
        return {}
    return {xform_name(name): name for name in model.operation_names}


def _aws_name(service: str, operation: str) -> str:
    """An operation in AWS's own spelling in messages and the evidence, not a guess from
    snake_case (which would give ListResourcesForWebAcl)."""
    return _operation_names(service).get(operation) or _camel(operation)
