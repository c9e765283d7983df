"""`wa-review policy explain`: text and JSON output, stdin, and exit codes."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from policy_cases import (
    APIGW_ESCAPED,
    APIGW_PRIVATE,
    BUCKET,
    CASES,
    ME,
    OTHER,
    QUEUE,
    Case,
    pol,
    st,
)

from wa_review.cli import main
from wa_review.errors import EXIT_FINDINGS

PUBLIC_SQS = pol(st("*", "sqs:SendMessage", QUEUE, sid="Open"))


@pytest.fixture
def policy_file(tmp_path: Path) -> Path:
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(PUBLIC_SQS))
    return path


def test_text_explains_in_sentences(policy_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["policy", "explain", str(policy_file), "--account", ME, "--type", "sqs"])
    out = capsys.readouterr().out
    assert "Most open: public" in out
    assert "send: public" in out
    assert "Statement 'Open' allows anyone" in out


def test_json_form(policy_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(
        [
            "policy",
            "explain",
            str(policy_file),
            "--account",
            ME,
            "--type",
            "sqs",
            "--format",
            "json",
        ]
    )
    data = json.loads(capsys.readouterr().out)
    assert data["most_open"] == "public"
    assert data["classes"] == ["public"]
    assert data["reasons"][0]["statement"] == "Open"
    assert data["reasons"][0]["class"] == "public"
    assert data["reasons"][0]["detail"].endswith(".")


def test_stdin_and_escaped_api_gateway_policy(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(APIGW_ESCAPED.encode())))
    main(["policy", "explain", "-", "--account", ME, "--type", "apigateway", "--format", "json"])
    assert json.loads(capsys.readouterr().out)["most_open"] == "network_restricted"


def test_org_and_trusted_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps(pol(st({"AWS": "444455556666"}, "sqs:SendMessage", QUEUE))))
    main(
        [
            "policy",
            "explain",
            str(path),
            "--account",
            ME,
            "--type",
            "sqs",
            "--trusted",
            "444455556666",
            "--org-id",
            "o-a1b2c3d4e5",
            "--format",
            "json",
        ]
    )
    assert json.loads(capsys.readouterr().out)["most_open"] == "account_only"


def test_unknown_verdict_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.json"
    path.write_text('{"Statement": "everyone"}')
    main(["policy", "explain", str(path), "--account", ME])
    assert "Most open: unknown" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "message"),
    [("this is not json", "not JSON"), ("[" * 100_000, "nested")],
)
def test_not_json_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(SystemExit) as exit_info:
        main(["policy", "explain", str(path), "--account", ME])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert str(path) in err and message in err


def test_unreadable_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["policy", "explain", str(tmp_path / "missing.json"), "--account", ME])
    assert exit_info.value.code == 2
    assert "Could not read" in capsys.readouterr().err


def test_bad_account_exits_2(policy_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["policy", "explain", str(policy_file), "--account", "1234"])
    assert exit_info.value.code == 2
    assert "12-digit" in capsys.readouterr().err


def test_installed_command_reads_stdin() -> None:
    exe = Path(sys.executable).parent / "wa-review"
    if not exe.exists():
        pytest.skip("wa-review is not installed in this environment")
    done = subprocess.run(
        [str(exe), "policy", "explain", "-", "--account", ME, "--type", "apigateway"],
        input=json.dumps(APIGW_PRIVATE),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Most open: network_restricted" in done.stdout
    gated = subprocess.run(
        [str(exe), "policy", "explain", "-", "--type", "sqs", "--fail-on", "public"],
        input=json.dumps(PUBLIC_SQS),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert gated.returncode == EXIT_FINDINGS, gated.stderr
    bad = subprocess.run(
        [str(exe), "policy", "explain", "-", "--account", ME],
        input="nope",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert bad.returncode == 2
    assert "not JSON" in bad.stderr


def _explain(
    capsys: pytest.CaptureFixture[str], path: Path, *args: str
) -> tuple[int | str | None, str, str]:
    """Run `policy explain` in-process: (exit code, stdout, stderr)."""
    code: int | str | None = 0
    try:
        main(["policy", "explain", str(path), *args])
    except SystemExit as done:
        code = done.code
    out = capsys.readouterr()
    return code, out.out, out.err


def test_classes_are_explained_in_words(
    policy_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = _explain(capsys, policy_file, "--account", ME, "--type", "sqs")
    assert "Most open: public (anyone in any AWS account, and anonymous" in out
    assert "What the classes mean:" in out
    assert "account_only: nothing leaves this account or the trusted accounts" in out


def test_account_comes_from_the_resource_arn(
    policy_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _explain(capsys, policy_file, "--type", "sqs")
    assert code == 0
    assert f"account {ME}, taken from the policy's Resource ARN" in out
    code, out, _ = _explain(capsys, policy_file, "--type", "sqs", "--format", "json")
    data = json.loads(out)
    assert (data["account"], data["account_from"]) == (ME, "resource")
    assert data["most_open"] == "public"


def test_account_comes_from_arn_before_the_resource(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps(pol(st({"AWS": OTHER}, "sqs:SendMessage", QUEUE))))
    arn = f"arn:aws:sqs:us-east-1:{OTHER}:orders"
    code, out, _ = _explain(capsys, path, "--arn", arn, "--type", "sqs", "--format", "json")
    data = json.loads(out)
    # The owner is OTHER now, so a grant to OTHER stays in the account.
    assert (code, data["account"], data["account_from"]) == (0, OTHER, "arn")
    assert data["most_open"] == "account_only"


@pytest.mark.parametrize(
    ("resources", "message"),
    [
        ([f"{BUCKET}/*"], "neither --arn nor the policy's Resource names one"),
        ([QUEUE, f"arn:aws:sqs:us-east-1:{OTHER}:x"], f"several accounts ({ME}, {OTHER})"),
    ],
)
def test_no_single_account_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], resources: list[str], message: str
) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps(pol(st("*", "s3:GetObject", resources))))
    code, out, err = _explain(capsys, path)
    assert code == 2
    assert out == ""
    assert message in err and "--account" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("fail_on", "expected"),
    [
        ("public,cross_account", EXIT_FINDINGS),
        ("public", EXIT_FINDINGS),
        (" cross_account , public ", EXIT_FINDINGS),
        ("PUBLIC", EXIT_FINDINGS),
        ("cross_account,unknown", 0),
    ],
)
def test_fail_on_exits_8_when_the_most_open_class_is_listed(
    policy_file: Path, capsys: pytest.CaptureFixture[str], fail_on: str, expected: int
) -> None:
    code, out, err = _explain(capsys, policy_file, "--type", "sqs", "--fail-on", fail_on)
    assert code == expected
    assert "Most open: public" in out  # the verdict is printed either way
    assert ("is in --fail-on" in err) == (expected == EXIT_FINDINGS)


def test_without_fail_on_a_public_verdict_exits_0(
    policy_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _explain(capsys, policy_file, "--type", "sqs", "--format", "json")
    assert code == 0
    assert err == ""


def test_fail_on_only_looks_at_the_most_open_class(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "p.json"
    path.write_text(
        json.dumps(
            pol(
                st("*", "sqs:SendMessage", QUEUE),
                st({"AWS": OTHER}, "sqs:ReceiveMessage", QUEUE),
            )
        )
    )
    code, _, _ = _explain(capsys, path, "--type", "sqs", "--fail-on", "cross_account")
    assert code == 0  # cross_account is there, but public is the most open


@pytest.mark.parametrize("wrong", ["publik", "public,everyone", ",", ""])
def test_fail_on_rejects_what_is_not_an_access_class(
    policy_file: Path, capsys: pytest.CaptureFixture[str], wrong: str
) -> None:
    code, out, err = _explain(capsys, policy_file, "--type", "sqs", "--fail-on", wrong)
    assert code == 2
    assert out == ""
    assert "--fail-on" in err and "not an access class" in err
    assert "public, unknown, cross_account" in err


# Issue 15: the documented verdict and the words that say why, through the command.
_EXPLAINED = {
    "ip_deny_unless_broad_range_is_public": "broader than /8, and AWS counts",
    "ip_v6_broader_than_slash32_is_public_sqs": "broader than /32",
    "source_arn_any_bucket_with_star_principal_is_public": "names no account and has a wildcard",
    "s3_delegated_to_own_access_points": "through this account's S3 access points",
    "s3_access_point_arn_any_name_in_own_account": "through this account's S3 access points",
    "s3_userid_role_sessions_are_not_public": "IAM unique id",
    "s3_put_only_with_own_kms_key": "this account's KMS key",
    "string_equals_literal_star_never_applies": "can never apply: StringEquals aws:SourceAccount",
    "arn_like_bucket_name_without_arn_never_applies": "is not a full ARN",
    "sns_endpoint_on_publish_never_applies": "only sns:Subscribe and sns:ConfirmSubscription",
    "deleted_user_beside_cross_account_keeps_cross_account": "deleted user",
    "kms_key_policy_caller_account_other": "kms:CallerAccount is 111122223333",
}


@pytest.mark.parametrize("case", [c for c in CASES if c.name in _EXPLAINED], ids=lambda c: c.name)
def test_explain_gives_the_documented_verdict_and_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: Case
) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps(case.policy))
    args = ["--account", ME, "--type", case.rtype, "--format", "json"]
    code, out, _ = _explain(capsys, path, *args)
    data = json.loads(out)
    assert code == 0
    assert data["most_open"] == case.expect
    said = " ".join([*(r["detail"] for r in data["reasons"]), *data["notes"]])
    assert _EXPLAINED[case.name] in said
    # The text form carries the same sentences (wrapped), and the class in words.
    _, text, _ = _explain(capsys, path, *args[:4])
    assert f"Most open: {case.expect} (" in text


def test_every_explained_case_is_in_the_table() -> None:
    assert set(_EXPLAINED) <= {c.name for c in CASES}


def test_fail_on_can_be_repeated(policy_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--type", "sqs", "--fail-on", "cross_account", "--fail-on", "public"]
    code, _, err = _explain(capsys, policy_file, *args)
    assert code == EXIT_FINDINGS
    assert "(cross_account, public)" in err
