"""The diff's rules on small evidence files: changed, not checked, gone, and the `new` gate."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tests.toolchain.conftest import run_cli
from wa_review.diffing import ChangeKind, diff_evidence
from wa_review.diffing.sources import builtin_practices, registry_severity
from wa_review.gates import matching_new, parse_fail_on
from wa_review.model.evidence import Evidence, Status
from wa_review.model.evidence_file import CollectionStats, EvidenceFile

ACCOUNT = "123456789012"
Q = "arn:aws:sqs:eu-west-1:123456789012:q"
FN = "arn:aws:lambda:eu-west-1:123456789012:function:f"


def item(check: str, arn: str, status: Status, summary: str = "s", region: str = "eu-west-1"):
    return Evidence(check, status, arn, region, ACCOUNT, summary)


def file(*items: Evidence, regions: tuple[str, ...] = ("eu-west-1",)) -> EvidenceFile:
    return EvidenceFile(
        "0", "2026-01-01T00:00:00+00:00", (ACCOUNT,), regions, {}, CollectionStats(), (), items
    )


def diff(old: EvidenceFile, new: EvidenceFile):
    return diff_evidence(old, new, severity_of=registry_severity, practice_of=builtin_practices())


def test_a_status_or_reason_change_is_changed_not_new() -> None:
    old = file(
        item("sqs.queue_policy_public", Q, Status.WARN, "partner only"),
        item("lambda.function_policy_public", FN, Status.FAIL, "anyone"),
    )
    new = file(
        item("sqs.queue_policy_public", Q, Status.FAIL, "anyone"),
        item("lambda.function_policy_public", FN, Status.FAIL, "anyone, twice"),
    )
    result = diff(old, new).to_dict()
    assert result["new"] == [] and result["resolved"] == []
    changed = {c["check_id"]: c for c in result["changed"]}
    assert changed["sqs.queue_policy_public"]["old_status"] == "warn"
    assert changed["sqs.queue_policy_public"]["new_status"] == "fail"
    assert changed["lambda.function_policy_public"]["old_summary"] == "anyone"


def test_what_the_new_collection_could_not_see_is_not_resolved() -> None:
    old = file(
        item("sqs.queue_policy_public", Q, Status.FAIL),
        item("lambda.function_policy_public", FN, Status.FAIL),
        item(
            "lambda.function_policy_public",
            FN.replace("eu-west-1", "us-east-2"),
            Status.FAIL,
            region="us-east-2",
        ),
        regions=("eu-west-1", "us-east-2"),
    )
    new = file(
        item("sqs.queue_policy_public", "", Status.UNKNOWN, "ListQueues: AccessDenied"),
        item("lambda.function_policy_public", FN, Status.PASS),
    )
    result = diff(old, new)
    kinds = {(c.key.check_id, c.key.region): c.kind for c in result.changes}
    assert kinds[("sqs.queue_policy_public", "eu-west-1")] is not ChangeKind.RESOLVED
    not_checked = {c.key.resource_arn: c.reason for c in result.of_kind(ChangeKind.NOT_CHECKED)}
    assert not_checked[Q] == "the check could not read this Region this time"
    assert "Region us-east-2 was not collected" in not_checked.values()
    assert [c.key.resource_arn for c in result.of_kind(ChangeKind.RESOLVED)] == [FN]


def test_new_gate_counts_unknown_that_now_fails_but_not_warn_that_now_fails() -> None:
    old = file(
        item("sqs.queue_policy_public", Q, Status.UNKNOWN),
        item("lambda.function_policy_public", FN, Status.WARN),
    )
    new = file(
        item("sqs.queue_policy_public", Q, Status.FAIL),
        item("lambda.function_policy_public", FN, Status.FAIL),
    )
    gate = parse_fail_on(["new"], allowed=("new",))
    assert [e.resource_arn for e in matching_new(gate, diff(old, new))] == [Q]


def test_diff_reads_sessions_and_refuses_bad_files_clearly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "e.json"
    file(item("sqs.queue_policy_public", Q, Status.FAIL)).save(good)
    broken = tmp_path / "broken.json"
    broken.write_text('{"schema_version": 1, "evidence": [')
    code, _, err = run_cli(["diff", str(good), str(broken)], capsys)
    assert code == 2 and "broken.json: not valid JSON" in err and "Traceback" not in err
    session = tmp_path / "review.yaml"
    code, _, err = run_cli(["assess", str(good), "-o", str(session)], capsys)
    assert code == 0, err
    code, out, err = run_cli(["diff", str(session), str(good)], capsys)
    assert code == 0, err
    assert "no change in findings" in out


def test_text_output_never_prints_control_characters(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    file().save(old)
    file(item("sqs.queue_policy_public", Q, Status.FAIL, "evil\x1b[2Jname")).save(new)
    code, out, _ = run_cli(["diff", str(old), str(new)], capsys)
    assert code == 0 and "\x1b" not in out and "evil\\x1b[2Jname" in out


def test_a_resource_outside_a_changed_scope_is_not_called_gone() -> None:
    old = file(item("sqs.queue_policy_public", Q, Status.FAIL))
    new = file(item("lambda.function_policy_public", FN, Status.PASS))
    assert [c.kind for c in diff(old, new).changes] == [ChangeKind.GONE]
    scoped = replace(new, scope={"mode": "stacks", "stacks": ["orders"], "tags": []})
    [change] = diff(old, scoped).changes
    assert change.kind is ChangeKind.NOT_CHECKED and "scope" in change.reason
