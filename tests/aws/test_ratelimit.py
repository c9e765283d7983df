"""Client-side rate limiting: token buckets on a fake clock, and the hook on real clients."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from tests.aws.faults import json_error
from tests.conftest import REGION
from wa_review.aws.context import AwsContext, AwsOptions
from wa_review.aws.ratelimit import (
    DEFAULT_QUOTAS,
    Quota,
    RateLimiter,
    RateLimits,
    TokenBucket,
    parse_quota,
)


class FakeClock:
    """Time that moves only when someone sleeps: waits are exact and instant."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds


# -- the quota table ----------------------------------------------------------------------


def test_defaults_hold_the_published_quotas() -> None:
    assert DEFAULT_QUOTAS["lambda:GetPolicy"] == Quota(15)
    assert DEFAULT_QUOTAS["lambda:GetFunction"] == Quota(100)
    assert DEFAULT_QUOTAS["lambda:*"] == Quota(15)
    assert DEFAULT_QUOTAS["ec2:Describe*"] == Quota(20, burst=100)
    assert DEFAULT_QUOTAS["apigateway:*"].rate == 10
    assert DEFAULT_QUOTAS["sts:*"] == Quota(600)


@pytest.mark.parametrize(
    ("service", "operation", "family"),
    [
        ("lambda", "GetPolicy", "lambda:GetPolicy"),
        ("lambda", "GetFunction", "lambda:GetFunction"),
        ("lambda", "GetFunctionUrlConfig", "lambda:*"),  # not GetFunction's quota
        ("lambda", "ListAliases", "lambda:*"),
        ("ec2", "DescribeVpcs", "ec2:Describe*"),
        ("apigateway", "GetResources", "apigateway:GetResources"),
        ("apigateway", "GetStages", "apigateway:*"),
        ("sts", "AssumeRole", "sts:*"),
        ("sqs", "GetQueueAttributes", None),  # no published quota: not limited
        ("ec2", "CreateVpc", None),
    ],
)
def test_the_most_specific_family_wins(service: str, operation: str, family: str | None) -> None:
    assert RateLimits().family(service, operation) == family


def test_overrides_change_one_family_and_keep_the_rest() -> None:
    limits = RateLimits().overriding({"lambda:GetPolicy": Quota(30), "sqs:*": Quota(50)})
    assert limits.quotas["lambda:GetPolicy"].rate == 30
    assert limits.quotas["lambda:*"].rate == 15
    assert limits.family("sqs", "ListQueues") == "sqs:*"
    assert DEFAULT_QUOTAS["lambda:GetPolicy"].rate == 15  # the defaults are not mutated


def test_quotas_parse_from_text() -> None:
    assert parse_quota("lambda:GetPolicy=30") == ("lambda:GetPolicy", Quota(30))
    assert parse_quota("ec2:Describe*=40/200") == ("ec2:Describe*", Quota(40, burst=200))
    for bad in ("lambda:GetPolicy", "GetPolicy=3", "lambda:*=fast", "lambda:*=0"):
        with pytest.raises(ValueError):
            parse_quota(bad)


def test_a_quota_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        Quota(0)
    with pytest.raises(ValueError, match="negative"):
        Quota(1, burst=-1)
    assert Quota(15).capacity == 15
    assert Quota(0.5).capacity == 1  # a bucket always holds at least one token


def test_the_client_keeps_half_the_burst_as_slack_for_jitter() -> None:
    assert Quota(20, burst=100).client_side() == Quota(20, burst=50)
    assert Quota(15).client_side() == Quota(15, burst=7.5)
    assert Quota(2.5, burst=1).client_side().capacity == 1


# -- the token bucket ---------------------------------------------------------------------


def test_a_full_bucket_lets_a_burst_through_then_paces_at_the_rate() -> None:
    clock = FakeClock()
    bucket = TokenBucket(Quota(10, burst=5), clock=clock, sleep=clock.sleep)
    assert [bucket.reserve() for _ in range(5)] == [0.0] * 5
    # No time passes between reservations: each one more waits one more 1/rate.
    waits = [bucket.reserve() for _ in range(3)]
    assert waits == pytest.approx([0.1, 0.2, 0.3])
    assert bucket.taken == 8


def test_acquire_sleeps_exactly_until_the_token_is_due() -> None:
    clock = FakeClock()
    bucket = TokenBucket(Quota(4), clock=clock, sleep=clock.sleep)
    for _ in range(12):
        bucket.acquire()
    # 4 free, then 8 paced at 4/s: two seconds of waiting, in eight equal steps.
    assert clock.sleeps == pytest.approx([0.25] * 8)
    assert clock.now == pytest.approx(102.0)


def test_the_bucket_refills_with_time_up_to_its_size() -> None:
    clock = FakeClock()
    bucket = TokenBucket(Quota(2, burst=4), clock=clock, sleep=clock.sleep)
    for _ in range(4):
        assert bucket.reserve() == 0.0
    clock.now += 1.0  # two tokens back
    assert [bucket.reserve() for _ in range(3)] == pytest.approx([0.0, 0.0, 0.5])
    clock.now += 60.0  # a long pause refills to the size, no further
    assert [bucket.reserve() for _ in range(5)] == pytest.approx([0.0, 0.0, 0.0, 0.0, 0.5])


def test_concurrent_callers_get_distinct_slots() -> None:
    """No token is handed out twice: 40 threads at one instant wait 0, 1/r, 2/r, … apart."""
    clock = FakeClock()
    bucket = TokenBucket(Quota(10, burst=1), clock=clock, sleep=lambda _s: None)
    waits: list[float] = []
    lock = threading.Lock()

    def take() -> None:
        delay = bucket.reserve()
        with lock:
            waits.append(delay)

    threads = [threading.Thread(target=take) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(round(w, 6) for w in waits) == [round(i / 10, 6) for i in range(40)]


def test_buckets_are_per_account_region_and_family() -> None:
    limiter = RateLimiter()
    a = limiter.bucket("acct-a", "us-east-1", "lambda", "ListAliases")
    assert a is limiter.bucket("acct-a", "us-east-1", "lambda", "GetFunctionUrlConfig")
    assert a is not limiter.bucket("acct-a", "us-east-1", "lambda", "GetPolicy")
    assert a is not limiter.bucket("acct-b", "us-east-1", "lambda", "ListAliases")
    assert a is not limiter.bucket("acct-a", "eu-west-1", "lambda", "ListAliases")
    assert limiter.bucket("acct-a", "us-east-1", "sqs", "ListQueues") is None


# -- the botocore hook --------------------------------------------------------------------


def _context(session: Any, limits: RateLimits | None, clock: FakeClock, **options: Any) -> Any:
    ctx = AwsContext(
        AwsOptions(regions=(REGION,), rate_limits=limits, **options),
        session_factory=lambda **_: session,
    )
    ctx.rate_limiter = RateLimiter(limits, clock=clock, sleep=clock.sleep)
    return ctx


def _lambda_client(ctx: AwsContext) -> Any:
    return ctx.client(ctx.accounts()[0], "lambda", REGION)


def _answer_ok(request: Any, **_: Any) -> Any:
    return json_error(200, "", "", request.url) if "/policy" in request.url else None


def test_a_burst_above_the_quota_is_spread_over_time(moto: Any) -> None:
    clock = FakeClock()
    ctx = _context(moto, None, clock, max_attempts=1)
    lam = _lambda_client(ctx)
    for _ in range(30):
        lam.list_functions()
    # The client keeps half of Lambda's bucket of 15: 7 calls leave at once, the 8th after
    # the half token refills, the other 22 one every 1/15 s.
    assert len(clock.sleeps) == 23
    assert clock.sleeps[0] == pytest.approx(1 / 30)
    assert clock.sleeps[1:] == pytest.approx([1 / 15] * 22)
    assert clock.now == pytest.approx(100 + (30 - 7.5) / 15)
    buckets = {key[2]: bucket for key, bucket in ctx.rate_limiter.buckets()}
    assert buckets["lambda:*"].taken == 30


def test_families_do_not_wait_for_each_other(moto: Any) -> None:
    clock = FakeClock()
    ctx = _context(moto, None, clock, max_attempts=1)
    ctx.before_send_hooks.append(_answer_ok)  # GetPolicy answered without moto
    lam = _lambda_client(ctx)
    for _ in range(7):
        lam.list_functions()
        lam.get_policy(FunctionName="any")
    assert clock.sleeps == []  # 7 + 7 calls, each family within its own first burst
    families = {key[2]: bucket.taken for key, bucket in ctx.rate_limiter.buckets()}
    families.pop("sts:*")  # the caller's identity, asked once
    assert families == {"lambda:*": 7, "lambda:GetPolicy": 7}


def test_every_attempt_takes_a_token_retries_included(
    moto: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No real waiting: botocore's backoff and its adaptive limiter are not under test here.
    monkeypatch.setattr(
        "botocore.retries.standard.ExponentialBackoff.delay_amount", lambda *_a, **_k: 0
    )
    monkeypatch.setattr(
        "botocore.retries.adaptive.ClientRateLimiter.on_sending_request", lambda *_a, **_k: None
    )
    clock = FakeClock()
    ctx = _context(moto, None, clock, max_attempts=5)
    attempts: list[str] = []

    def throttle_twice(request: Any, event_name: str = "", **_: Any) -> Any:
        if ".lambda." not in event_name:
            return None
        attempts.append(request.url)
        if len(attempts) <= 2:
            return json_error(429, "TooManyRequestsException", "Rate exceeded", request.url)
        return None  # moto answers the third attempt

    ctx.before_send_hooks.append(throttle_twice)
    answer = _lambda_client(ctx).list_functions()
    assert answer["ResponseMetadata"]["RetryAttempts"] == 2
    # The token is taken before the injector sees the attempt: it was registered first.
    buckets = dict((key[2], bucket) for key, bucket in ctx.rate_limiter.buckets())
    assert buckets["lambda:*"].taken == len(attempts) == 3


def test_limits_off_installs_no_hook(moto: Any) -> None:
    clock = FakeClock()
    ctx = _context(moto, RateLimits.off(), clock, max_attempts=1)
    lam = _lambda_client(ctx)
    for _ in range(40):
        lam.list_functions()
    assert clock.sleeps == []
    assert ctx.rate_limiter.buckets() == []


def test_the_context_builds_its_limiter_from_the_options() -> None:
    custom = RateLimits().overriding({"lambda:*": Quota(99)})
    ctx = AwsContext(AwsOptions(rate_limits=custom))
    assert ctx.rate_limiter.limits is custom
    assert AwsContext(AwsOptions()).rate_limiter.limits.quotas == dict(DEFAULT_QUOTAS)
