"""Reading policy text in every shape AWS hands it over, and refusing what is not a policy."""

from __future__ import annotations

import json
import time

import pytest
from policy_cases import APIGW_ESCAPED, APIGW_PRIVATE, ME, QUEUE, pol, st

from wa_review.errors import InputFileError
from wa_review.policy import (
    AccessClass,
    PolicyContext,
    PolicyParseError,
    judge_policy,
    load_policy_document,
)

CTX = PolicyContext(account_id=ME, resource_type="sqs")


@pytest.mark.parametrize(
    "source",
    [
        APIGW_PRIVATE,
        json.dumps(APIGW_PRIVATE),
        json.dumps(APIGW_PRIVATE, indent=2).encode(),
        json.dumps(json.dumps(APIGW_PRIVATE)),
        APIGW_ESCAPED,
        f"  {APIGW_ESCAPED}\n",
        json.dumps(APIGW_PRIVATE).replace("/", "\\/"),
    ],
    ids=["dict", "text", "bytes", "json-string", "get-rest-api", "padded", "escaped-slashes"],
)
def test_every_shape_loads_to_the_same_document(source: object) -> None:
    assert load_policy_document(source) == APIGW_PRIVATE


@pytest.mark.parametrize("text", ["not json", "{'Statement': []}", "{", "", "\\x"])
def test_text_that_is_not_json_raises(text: str) -> None:
    with pytest.raises(PolicyParseError) as err:
        judge_policy(text, CTX)
    assert isinstance(err.value, InputFileError)
    assert err.value.exit_code == 2
    assert "not JSON" in err.value.message


def test_bytes_that_are_not_utf8_raise() -> None:
    with pytest.raises(PolicyParseError, match="UTF-8"):
        judge_policy(b"\xff\xfe{", CTX)


@pytest.mark.parametrize("value", ['"hello"', "[1, 2]", "42", "null"])
def test_json_that_is_not_a_policy_is_unknown_not_an_error(value: str) -> None:
    verdict = judge_policy(value, CTX)
    assert verdict.most_open is AccessClass.UNKNOWN
    assert "not a policy object" in verdict.reasons[0].detail
    with pytest.raises(PolicyParseError, match="not an object"):
        load_policy_document(value)


def test_a_python_value_that_is_not_a_policy_is_unknown() -> None:
    assert judge_policy(["Statement"], CTX).most_open is AccessClass.UNKNOWN


def _timed(fn: object) -> float:
    start = time.perf_counter()
    assert callable(fn)
    fn()
    return time.perf_counter() - start


def test_deeply_nested_json_text_is_a_clear_error() -> None:
    def run() -> None:
        with pytest.raises(PolicyParseError, match="nested"):
            judge_policy("[" * 200_000 + "]" * 200_000, CTX)

    assert _timed(run) < 2


def test_deeply_nested_dict_is_a_clear_error() -> None:
    doc: dict[str, object] = {}
    cursor = doc
    for _ in range(10_000):
        cursor["Condition"] = {}
        cursor = cursor["Condition"]  # type: ignore[assignment]
    with pytest.raises(PolicyParseError, match="nested more than"):
        judge_policy({"Statement": doc}, CTX)


def test_megabytes_are_refused_quickly() -> None:
    huge = json.dumps(
        pol(st("*", "sqs:SendMessage", QUEUE, {"StringEquals": {"a:b": "x" * 3_000_000}}))
    )

    def run() -> None:
        with pytest.raises(PolicyParseError, match="characters"):
            judge_policy(huge, CTX)
        with pytest.raises(PolicyParseError, match="characters"):
            judge_policy(json.loads(huge), CTX)

    assert _timed(run) < 2


def test_too_many_statements_are_refused() -> None:
    with pytest.raises(PolicyParseError, match="statements"):
        judge_policy(pol(*[st({"AWS": ME}, "sqs:*", QUEUE)] * 300), CTX)


def test_the_largest_policy_allowed_is_judged_quickly() -> None:
    # Worst case for the evaluator: every statement a wildcard Allow or a covering Deny.
    wild = "sqs:" + "*a" * 200 + "*"
    allows = [st("*", [wild, "sqs:*"], "*", sid=f"A{i}") for i in range(128)]
    denies = [
        st("*", "*", "*", {"StringNotEquals": {"aws:SourceVpce": f"vpce-{i}"}}, effect="Deny")
        for i in range(128)
    ]
    holder: list[AccessClass] = []
    elapsed = _timed(lambda: holder.append(judge_policy(pol(*allows, *denies), CTX).most_open))
    assert holder == [AccessClass.NETWORK_RESTRICTED]
    assert elapsed < 10


def test_a_huge_wildcard_pattern_does_not_backtrack() -> None:
    pattern = "sqs:" + "*a" * 20_000 + "*b"
    assert _timed(lambda: judge_policy(pol(st("*", pattern, QUEUE)), CTX)) < 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"account_id": "12345"}, "12 digits"),
        ({"account_id": ME, "resource_type": "ec2"}, "resource_type"),
    ],
)
def test_context_is_validated(kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        PolicyContext(**kwargs)


def test_context_accepts_any_iterable_of_trusted_accounts() -> None:
    ctx = PolicyContext(account_id=ME, trusted_accounts=["444455556666"])  # type: ignore[arg-type]
    assert ctx.trusted_accounts == frozenset({"444455556666"})
