"""execute-api ARNs: the parts, the sentence, and which parts are wildcards."""

from __future__ import annotations

import pytest

from wa_review.policy import ExecuteApiArn, parse_execute_api_arn

ARN = "arn:aws:execute-api:us-east-1:123456789012"


@pytest.mark.parametrize(
    ("arn", "sentence", "wild"),
    [
        (f"{ARN}:a1b2c3/prod/GET/orders", "GET /orders on API a1b2c3, stage prod", ()),
        ("*", "any API in any account", ("region", "account", "api_id", "stage", "method", "path")),
        (
            "arn:aws:execute-api:*:*:*",
            "any API in any account",
            ("region", "account", "api_id", "stage", "method", "path"),
        ),
        (f"{ARN}:*/prod/GET/x", "any API in account 123456789012", ("api_id",)),
        (f"{ARN}:a1b2c3/*", "any method on API a1b2c3 in any stage", ("stage", "method", "path")),
        (
            f"{ARN}:a1b2c3/*/*/*",
            "any method on API a1b2c3 in any stage",
            ("stage", "method", "path"),
        ),
        (f"{ARN}:a1b2c3/prod/*", "any method on API a1b2c3, stage prod", ("method", "path")),
        (f"{ARN}:a1b2c3/*/GET/items", "GET /items on API a1b2c3 in any stage", ("stage",)),
        (f"{ARN}:a1b2c3/prod/*/items", "any method /items on API a1b2c3, stage prod", ("method",)),
        ("execute-api:/*", "any method on this API in any stage", ("stage", "method", "path")),
        ("execute-api:/prod/POST/a/b", "POST /a/b on this API, stage prod", ()),
    ],
)
def test_describe_and_wildcards(arn: str, sentence: str, wild: tuple[str, ...]) -> None:
    parsed = parse_execute_api_arn(arn)
    assert parsed is not None
    assert parsed.describe() == sentence
    assert parsed.wildcard_parts() == wild
    assert parsed.is_wildcard_scope() == bool(set(wild) & {"api_id", "stage", "method", "path"})


def test_parts() -> None:
    parsed = parse_execute_api_arn(f"{ARN}:a1b2c3/prod/GET/orders/{{id}}")
    assert parsed is not None
    assert parsed == ExecuteApiArn(
        "us-east-1", "123456789012", "a1b2c3", "prod", "GET", "/orders/{id}"
    )
    assert not parsed.is_wildcard_scope("api_id")
    wide = parse_execute_api_arn(f"{ARN}:a1b2c3/*")
    assert wide is not None and wide.is_wildcard_scope("stage")


@pytest.mark.parametrize(
    "arn", ["arn:aws:lambda:us-east-1:1:function:f", "not an arn", "arn:aws:execute-api:r:1:"]
)
def test_other_text_is_not_an_execute_api_arn(arn: str) -> None:
    assert parse_execute_api_arn(arn) is None


def test_unknown_part_name_is_refused() -> None:
    everything = parse_execute_api_arn("*")
    assert everything is not None
    with pytest.raises(ValueError, match="part must be"):
        everything.is_wildcard_scope("verb")
