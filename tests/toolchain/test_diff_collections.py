"""`wa-review diff` on two real collections from a moto server with a change in between."""

from __future__ import annotations

import json

import pytest

from tests.conftest import ACCOUNT, REGION
from tests.toolchain.conftest import Collections, run_cli

pytestmark = pytest.mark.server

QUEUE = f"arn:aws:sqs:{REGION}:{ACCOUNT}:orders-queue"
URL_FN = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:url-iam"
BUCKET = "arn:aws:s3:::public-bucket"
FIXED = f"arn:aws:sqs:{REGION}:{ACCOUNT}:public-queue"


def test_diff_json_names_new_resolved_gone_and_nothing_else(
    collections: Collections, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(
        ["diff", str(collections.old), str(collections.new), "--format", "json"], capsys
    )
    assert code == 0, err
    data = json.loads(out)
    new = {(i["check_id"], i["resource_arn"]): i for i in data["new"]}
    assert ("sqs.queue_policy_public", QUEUE) in new
    assert ("lambda.function_url_auth_none", URL_FN) in new
    item = new[("lambda.function_url_auth_none", URL_FN)]
    assert item["status"] == "fail" and item["account"] == ACCOUNT and item["region"] == REGION
    assert item["severity"] in {"critical", "high", "medium", "low", "info"}
    gone = {(i["check_id"], i["resource_arn"]) for i in data["gone"]}
    assert gone and {arn for _, arn in gone} == {BUCKET}
    assert all(i["reason"] == "resource gone" for i in data["gone"])
    # The deleted bucket is not "resolved": nobody fixed it. The queue whose policy went is.
    resolved = {(i["check_id"], i["resource_arn"]): i for i in data["resolved"]}
    assert set(resolved) == {("sqs.queue_policy_public", FIXED)}
    assert resolved[("sqs.queue_policy_public", FIXED)]["now"] == "pass"
    assert data["changed"] == [] and data["not_checked"] == []
    # Nothing else changed in the account, so nothing else is new.
    assert {arn for _, arn in new} == {QUEUE, URL_FN}


def test_diff_text_groups_by_practice(
    collections: Collections, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(["diff", str(collections.old), str(collections.new)], capsys)
    assert code == 0, err
    assert "Evaluate and define resource policies (sec_sec_q2_a1)" in out
    new_lines = [line for line in out.splitlines() if line.strip().startswith("NEW")]
    assert any(QUEUE in line and "FAIL" in line for line in new_lines)
    assert any(BUCKET in line and "resource gone" in line for line in out.splitlines())


def test_diff_fail_on_new_exits_8_only_when_something_is_new(
    collections: Collections, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = str(collections.old), str(collections.new)
    code, _, err = run_cli(["diff", old, new, "--fail-on", "new"], capsys)
    assert code == 8
    assert "--fail-on matched 2 finding(s)" in err and QUEUE in err
    # Only the two critical/high failures are new; a stricter level lets this one through.
    code, _, err = run_cli(["diff", old, new, "--fail-on", "new,severity>=critical"], capsys)
    assert code == 8 and "matched 1 finding(s)" in err and URL_FN not in err
    code, _, err = run_cli(["diff", old, old, "--fail-on", "new"], capsys)
    assert code == 0, err
    code, _, _ = run_cli(["diff", old, new], capsys)
    assert code == 0  # without --fail-on nothing changes
    code, _, err = run_cli(["diff", old, new, "--fail-on", "fail"], capsys)
    assert code == 2 and "'fail' is not a --fail-on value here: use new" in err
