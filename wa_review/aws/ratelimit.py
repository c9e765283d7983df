"""Client-side rate limiting: one token bucket per (account, region, quota family).

AWS throttles control-plane reads per account and region, and a collector that ignores this
spends its time in exponential backoff. Each HTTP attempt (retries included, since botocore
emits `before-send` once per attempt) takes a token from the bucket of its quota family and
waits when the bucket is empty, so calls leave at the published rate and rarely come back
throttled. botocore's adaptive retries stay behind this as the safety net.

A quota family is named like an IAM action pattern: `lambda:GetPolicy` is one operation,
`ec2:Describe*` every operation with that prefix, `lambda:*` the rest of a service. The most
specific family that matches an operation is the only one it draws from (Lambda's published
"remainder of the control plane" quota excludes GetFunction and GetPolicy, which is exactly
this rule). Operations no family matches are not limited.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

Clock = Callable[[], float]
Sleep = Callable[[float], None]


@dataclass(frozen=True, slots=True)
class Quota:
    """A sustained rate (requests per second) and the bucket size that allows a burst."""

    rate: float
    burst: float = 0.0  # 0: one second's worth of the rate

    def __post_init__(self) -> None:
        if self.rate <= 0:
            raise ValueError(f"a quota's rate must be positive, not {self.rate}")
        if self.burst < 0:
            raise ValueError(f"a quota's burst cannot be negative, not {self.burst}")

    @property
    def capacity(self) -> float:
        return max(1.0, self.burst or self.rate)

    def client_side(self) -> Quota:
        """The bucket a client should keep: the same rate, half the burst.

        AWS counts requests as they arrive. Requests that leave evenly can arrive bunched (a
        slow connection setup, a busy interpreter), and a bunch that the client's bucket
        allowed can overflow the server's; half a bucket of slack absorbs that jitter, for a
        first burst that is a fraction of a second shorter.
        """
        return Quota(self.rate, max(1.0, self.capacity / 2))


# Published per-account, per-region quotas (AWS documentation, 2025). Keys are endpoint
# prefixes (API Gateway v1 and v2 share `apigateway` and its quota) and operation names.
DEFAULT_QUOTAS: Mapping[str, Quota] = {
    # Lambda "API requests": GetPolicy 15/s, GetFunction 100/s, the rest of the control
    # plane (ListFunctions, ListAliases, GetFunctionUrlConfig, …) 15/s together.
    "lambda:GetPolicy": Quota(15),
    "lambda:GetFunction": Quota(100),
    "lambda:*": Quota(15),
    # EC2 request throttling: non-mutating Describe* actions refill 20/s into a bucket of 100.
    "ec2:Describe*": Quota(20, burst=100),
    # API Gateway management: GetResources is 5 per 2 s; the other reads about 10/s, burst 40.
    "apigateway:GetResources": Quota(2.5, burst=5),
    "apigateway:*": Quota(10, burst=40),
    # STS: 600 requests per second per account and Region for AssumeRole and the other
    # credential calls (IAM and AWS STS quotas). An organization review assumes one role per
    # account (and again to refresh it), all drawn from the caller's account.
    "sts:*": Quota(600),
}


@dataclass(frozen=True, slots=True)
class RateLimits:
    """The quota table the limiter enforces; `RateLimits.off()` disables limiting (tests)."""

    quotas: Mapping[str, Quota] = field(default_factory=lambda: dict(DEFAULT_QUOTAS))
    enabled: bool = True

    @classmethod
    def defaults(cls) -> RateLimits:
        return cls()

    @classmethod
    def off(cls) -> RateLimits:
        return cls(quotas={}, enabled=False)

    def overriding(self, changes: Mapping[str, Quota]) -> RateLimits:
        """These quotas with some families changed or added (e.g. after a quota increase)."""
        return RateLimits({**self.quotas, **changes}, self.enabled)

    def family(self, service: str, operation: str) -> str | None:
        """The most specific family covering `service:operation`, or None (not limited)."""
        exact = f"{service}:{operation}"
        if exact in self.quotas:
            return exact
        best: str | None = None
        for pattern in self.quotas:
            prefix, star, rest = pattern.partition("*")
            if not star or rest or not exact.startswith(prefix):
                continue
            if best is None or len(prefix) > len(best):
                best = pattern
        return best


def parse_quota(text: str) -> tuple[str, Quota]:
    """`lambda:GetPolicy=30` or `ec2:Describe*=40/200` (rate per second / bucket size): the
    form a command-line option or a config file can give after a quota increase."""
    family, equals, value = text.partition("=")
    rate, _, burst = value.partition("/")
    if not equals or ":" not in family:
        raise ValueError(f"expected SERVICE:OPERATION=RATE[/BURST], not {text!r}")
    try:
        return family.strip(), Quota(float(rate), float(burst) if burst else 0.0)
    except ValueError as err:
        raise ValueError(f"{text!r}: {err}") from err


class TokenBucket:
    """Thread-safe token bucket; `acquire` blocks until the caller's token is due.

    A caller reserves its token under the lock (the balance may go negative) and sleeps
    outside it, so waiting threads leave in arrival order, one every 1/rate seconds.
    """

    def __init__(
        self, quota: Quota, *, clock: Clock = time.monotonic, sleep: Sleep = time.sleep
    ) -> None:
        self.quota = quota
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._tokens = quota.capacity
        self._stamp = clock()
        self.taken = 0
        self.waited = 0.0

    def reserve(self) -> float:
        """Take a token now; return how long the caller must wait before using it."""
        with self._lock:
            now = self._clock()
            elapsed = max(0.0, now - self._stamp)
            self._tokens = min(self.quota.capacity, self._tokens + elapsed * self.quota.rate)
            self._stamp = now
            self._tokens -= 1.0
            self.taken += 1
            delay = -self._tokens / self.quota.rate if self._tokens < 0 else 0.0
            self.waited += delay
            return delay

    def acquire(self) -> float:
        delay = self.reserve()
        if delay > 0:
            self._sleep(delay)
        return delay


class RateLimiter:
    """Buckets for one context, keyed by (account scope, region, family), made on first use."""

    def __init__(
        self,
        limits: RateLimits | None = None,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
    ) -> None:
        self.limits = limits or RateLimits.defaults()
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._buckets: dict[tuple[object, str, str], TokenBucket] = {}
        self._families: dict[tuple[str, str], str | None] = {}

    def bucket(
        self, scope: object, region: str, service: str, operation: str
    ) -> TokenBucket | None:
        key = (service, operation)
        if key not in self._families:
            self._families[key] = self.limits.family(service, operation)
        family = self._families[key]
        if family is None:
            return None
        with self._lock:
            found = self._buckets.get((scope, region, family))
            if found is None:
                found = TokenBucket(
                    self.limits.quotas[family].client_side(), clock=self._clock, sleep=self._sleep
                )
                self._buckets[(scope, region, family)] = found
            return found

    def buckets(self) -> list[tuple[tuple[object, str, str], TokenBucket]]:
        """Every bucket made so far, with its key (for statistics and tests)."""
        with self._lock:
            return list(self._buckets.items())

    def install(self, client: Any, *, scope: object) -> None:
        """Make every HTTP attempt of `client` take a token first (ahead of other handlers).

        `scope` names the account the client's credentials belong to: quotas are per account.
        """
        if not self.limits.enabled:
            return
        service = str(client.meta.service_model.endpoint_prefix)
        region = str(client.meta.region_name or "")

        def take_token(event_name: str = "", **_: Any) -> None:
            bucket = self.bucket(scope, region, service, event_name.rsplit(".", 1)[-1])
            if bucket is not None:
                bucket.acquire()

        client.meta.events.register_first("before-send.*.*", take_token)
