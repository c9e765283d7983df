"""The Lambda collector against moto in-process: what it reads, and what it keeps."""

from __future__ import annotations

from typing import Any

from tests.aws.fixtures import lambda_account
from tests.aws.fixtures.common import execution_role, function
from tests.conftest import make_context
from wa_review.aws.run import collect_inventory
from wa_review.model.snapshots.lambda_ import LambdaSnapshot


def _snapshot(session: Any, **kwargs: Any) -> LambdaSnapshot:
    from wa_review.aws.collectors.lambda_ import LambdaCollector

    collection = collect_inventory(make_context(session), collectors=(LambdaCollector,), **kwargs)
    snap = collection.inventories[0].get("us-east-1", LambdaSnapshot)
    assert snap is not None
    return snap


def test_reads_functions_policies_urls_and_layers(moto: Any) -> None:
    lambda_account.build(moto)
    from wa_review.aws.collectors.lambda_ import LambdaCollector

    collection = collect_inventory(make_context(moto), collectors=(LambdaCollector,))
    assert collection.calls["lambda:GetPolicy"] >= 9  # one per in-scope function
    snap = collection.inventories[0].get("us-east-1", LambdaSnapshot)
    assert snap is not None
    by_name = {f.name: f for f in snap.functions}
    assert set(by_name) >= {"orders-api", "public-fn", "url-open"}
    assert by_name["orders-api"].policies[0].document is not None
    assert by_name["private-fn"].policies[0].document is None  # no policy is not an error
    assert by_name["private-fn"].policies[0].error is None
    assert [u.auth_type for u in by_name["url-open"].urls] == ["NONE"]
    assert {layer.name for layer in snap.layers} == {"org-layer", "public-layer"}
    assert all(layer.policy.document for layer in snap.layers)


def test_environment_values_are_never_kept(moto: Any) -> None:
    role = execution_role(moto, "r")
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    function(
        moto,
        "leaky",
        role,
        Environment={
            "Variables": {
                "AWS_SECRET_ACCESS_KEY": secret,
                "KEY_ID": "AKIAIOSFODNN7EXAMPLE",
                "TABLE": "orders",
            }
        },
    )
    fn = _snapshot(moto).functions[0]
    assert fn.env_var_names == ("AWS_SECRET_ACCESS_KEY", "KEY_ID", "TABLE")
    assert fn.static_credential_vars == ("AWS_SECRET_ACCESS_KEY", "KEY_ID")
    assert secret not in repr(fn) and "AKIAIOSFODNN7EXAMPLE" not in repr(fn)


def test_out_of_scope_functions_get_no_policy_calls(moto: Any) -> None:
    lambda_account.build(moto)
    ctx = make_context(moto)
    from wa_review.aws.collectors.lambda_ import LambdaCollector
    from wa_review.aws.scope import Scope

    # Scope resolution with tags on an empty tagging result: nothing in scope.
    collection = collect_inventory(ctx, collectors=(LambdaCollector,), tags=(("app", "none"),))
    assert collection.scope.mode == "tags"
    assert Scope().includes("anything")
    assert "lambda:GetPolicy" not in collection.calls
    snap = collection.inventories[0].get("us-east-1", LambdaSnapshot)
    assert snap is not None and not any(f.in_scope for f in snap.functions)
