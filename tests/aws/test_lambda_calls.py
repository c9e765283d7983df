"""The Lambda collector makes no more calls than the evidence needs (its quota is 15/s)."""

from __future__ import annotations

import json
from typing import Any

from botocore.awsrequest import AWSResponse

from tests.aws.faults import RawBody
from tests.aws.fixtures.common import execution_role, function
from tests.conftest import ACCOUNT, REGION, make_context
from wa_review.aws.collectors.lambda_ import LambdaCollector
from wa_review.aws.run import Collection, collect_inventory
from wa_review.model.snapshots.lambda_ import LambdaFunction, LambdaSnapshot


def _url_config(name: str, qualifier: str | None, auth: str) -> dict[str, Any]:
    arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}"
    return {
        "FunctionUrl": f"https://{name}{qualifier or ''}.lambda-url.{REGION}.on.aws/",
        "FunctionArn": f"{arn}:{qualifier}" if qualifier else arn,
        "AuthType": auth,
        "Cors": {"AllowOrigins": ["*"]} if qualifier else {},
        "CreationTime": "2024-01-01T00:00:00.000+0000",
        "LastModifiedTime": "2024-01-01T00:00:00.000+0000",
    }


def _aws_url_listing(request: Any, event_name: str = "", **_: Any) -> AWSResponse | None:
    """ListFunctionUrlConfigs as AWS answers it (moto lacks it): one URL per qualifier."""
    if not event_name.endswith(".ListFunctionUrlConfigs"):
        return None
    name = request.url.split("/functions/")[1].split("/")[0]
    configs = (
        [_url_config(name, None, "AWS_IAM"), _url_config(name, "live", "NONE")]
        if name == "with-alias"
        else []
    )
    body = json.dumps({"FunctionUrlConfigs": configs}).encode()
    return AWSResponse(request.url, 200, {"Content-Type": "application/json"}, RawBody(body))


def _account(session: Any) -> None:
    role = execution_role(session, "calls-role")
    for name in ("plain", "with-alias", "other"):
        function(session, name, role)
    lam = session.client("lambda")
    version = lam.publish_version(FunctionName="with-alias")["Version"]
    lam.create_alias(FunctionName="with-alias", Name="live", FunctionVersion=version)
    lam.create_function_url_config(FunctionName="plain", AuthType="NONE")


def _collect(session: Any, *hooks: Any) -> tuple[Collection, dict[str, LambdaFunction]]:
    ctx = make_context(session)
    ctx.before_send_hooks.extend(hooks)
    collection = collect_inventory(ctx, collectors=(LambdaCollector,))
    snap = collection.inventories[0].get(REGION, LambdaSnapshot)
    assert snap is not None
    return collection, {f.name: f for f in snap.functions}


def test_url_configs_are_listed_once_per_function_on_aws(moto: Any) -> None:
    _account(moto)
    collection, by_name = _collect(moto, _aws_url_listing)
    calls = collection.calls
    assert calls["lambda:ListFunctionUrlConfigs"] == 3  # one per function, aliases included
    assert "lambda:GetFunctionUrlConfig" not in calls
    urls = by_name["with-alias"].urls
    assert [(u.qualifier, u.auth_type) for u in urls] == [(None, "AWS_IAM"), ("live", "NONE")]
    assert urls[1].cors_origins == ("*",)
    assert by_name["plain"].urls == ()
    assert collection.errors == ()


def test_policies_per_alias_only_where_aliases_exist(moto: Any) -> None:
    _account(moto)
    collection, by_name = _collect(moto, _aws_url_listing)
    # Three unqualified policies, plus one for the only alias there is.
    assert collection.calls["lambda:GetPolicy"] == 4
    assert [p.target for p in by_name["with-alias"].policies] == [
        by_name["with-alias"].arn,
        f"{by_name['with-alias'].arn}:live",
    ]
    assert len(by_name["plain"].policies) == 1
    # ListFunctions already holds the configuration: it is never read again per function.
    assert not {"lambda:GetFunction", "lambda:GetFunctionConfiguration"} & set(collection.calls)


def test_an_endpoint_without_the_url_listing_falls_back_quietly(moto: Any) -> None:
    """moto lacks ListFunctionUrlConfigs: read each qualifier's URL, and record no error."""
    _account(moto)
    collection, by_name = _collect(moto)
    assert [(u.qualifier, u.auth_type) for u in by_name["plain"].urls] == [(None, "NONE")]
    assert by_name["other"].urls == ()
    assert by_name["plain"].url_error is None
    assert collection.errors == ()
    # At most one listing attempt per worker before the collector stops trying.
    assert 1 <= collection.calls["lambda:ListFunctionUrlConfigs"] <= 3
    assert collection.calls["lambda:GetFunctionUrlConfig"] == 4  # 3 functions + 1 alias
