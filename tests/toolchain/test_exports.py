"""`report --format ocsf|csv`: OCSF validated by py-ocsf-models, CSV read back with hostile cells."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from py_ocsf_models.events.findings.compliance_finding import ComplianceFinding

from tests.toolchain.conftest import run_cli
from wa_review.model.arn import resource_type
from wa_review.model.evidence import Evidence, Status
from wa_review.model.evidence_file import CollectionStats, EvidenceFile
from wa_review.report.csv_export import COLUMNS
from wa_review.report.ocsf import CloudComplianceFinding

ACCOUNT = "123456789012"
REGION = "eu-west-1"
QUEUE = f"arn:aws:sqs:{REGION}:{ACCOUNT}:orders"
FN = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:=cmd|' /C calc'!A0"
HOSTILE = [
    "=1+2",
    "+SUM(1,2)",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
    'a "quoted", comma\nand a newline',
]


def evidence(*, collected_at: str = "2026-01-01T00:00:00+00:00") -> EvidenceFile:
    items = [
        Evidence(
            "sqs.queue_policy_public",
            Status.FAIL,
            QUEUE,
            REGION,
            ACCOUNT,
            "public",
        ),
        Evidence(
            "lambda.function_url_auth_none",
            Status.WARN,
            FN,
            REGION,
            ACCOUNT,
            "url",
        ),
        Evidence(
            "sqs.queue_policy_public",
            Status.UNKNOWN,
            "",
            "us-east-2",
            ACCOUNT,
            "AccessDenied",
        ),
        Evidence(
            "lambda.function_policy_public",
            Status.PASS,
            FN,
            REGION,
            ACCOUNT,
            "private",
        ),
    ]
    items += [
        Evidence(
            "lambda.function_policy_public",
            Status.PASS,
            f"{QUEUE}-{i}",
            REGION,
            ACCOUNT,
            text,
        )
        for i, text in enumerate(HOSTILE)
    ]
    return EvidenceFile(
        "0", collected_at, (ACCOUNT,), (REGION,), {}, CollectionStats(), (), tuple(items)
    )


def session_for(tmp_path: Path, capsys: pytest.CaptureFixture[str], data: EvidenceFile) -> Path:
    folder = tmp_path / data.collected_at[:10]
    folder.mkdir()
    data.save(folder / "evidence.json")
    session = folder / "review.yaml"
    code, _, err = run_cli(["assess", str(folder / "evidence.json"), "-o", str(session)], capsys)
    assert code == 0, err
    return session


def report(session: Path, fmt: str, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    out = session.parent / f"out.{fmt}"
    code, _, err = run_cli(
        ["report", str(session), "--format", fmt, "-o", str(out), *extra], capsys
    )
    assert code == 0, err
    return out.read_bytes().decode("utf-8")  # as written: no newline translation


def test_ocsf_findings_validate_against_the_library(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    findings = json.loads(report(session_for(tmp_path, capsys, evidence()), "ocsf", capsys))
    assert isinstance(findings, list) and len(findings) == 3  # fail, warn, unknown; no pass
    for raw in findings:
        # The library's models accept unknown keys silently: a round trip that gives back the
        # same JSON proves every key is one the model knows, with a valid value.
        assert (
            CloudComplianceFinding.model_validate(raw).model_dump(mode="json", exclude_none=True)
            == raw
        )
        plain = {k: v for k, v in raw.items() if k != "cloud"}
        assert (
            ComplianceFinding.model_validate(raw).model_dump(mode="json", exclude_none=True)
            == plain
        )
        assert raw["class_uid"] == 2003 and raw["type_uid"] == 200301
        assert raw["metadata"]["profiles"] == ["cloud"]
        assert raw["cloud"]["account"]["uid"] == ACCOUNT
        assert raw["unmapped"]["practice"] == "Evaluate and define resource policies"
        assert raw["compliance"]["requirements"] == ["sec_sec_q2_a1"]
        assert raw["compliance"]["control"] == "SEC2: Evaluate and define resource policies"
        assert raw["remediation"]["desc"]
    by_status = {f["unmapped"]["wa_review_status"]: f for f in findings}
    failed = by_status["fail"]
    assert failed["resources"] == [
        {
            "uid": QUEUE,
            "name": "orders",
            "type": "sqs:queue",
            "region": REGION,
            "cloud_partition": "aws",
            "owner": failed["resources"][0]["owner"],
        }
    ]
    assert failed["resources"][0]["owner"]["account"]["uid"] == ACCOUNT
    assert failed["severity_id"] == 5 and failed["severity"] == "Critical"
    assert failed["compliance"]["status_id"] == 3  # Fail
    assert by_status["warn"]["compliance"]["status_id"] == 2  # Warning: a person must judge
    assert by_status["unknown"]["compliance"]["status_id"] == 0  # Unknown, never Pass
    assert "uid" not in by_status["unknown"]["resources"][0]  # a Region-level result


def test_ocsf_uids_are_stable_across_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = json.loads(report(session_for(tmp_path, capsys, evidence()), "ocsf", capsys))
    later = evidence(collected_at="2026-04-01T00:00:00+00:00")
    second = json.loads(report(session_for(tmp_path, capsys, later), "ocsf", capsys))
    assert [f["finding_info"]["uid"] for f in first] == [f["finding_info"]["uid"] for f in second]
    assert len({f["finding_info"]["uid"] for f in first}) == 3
    assert first[0]["time"] != second[0]["time"]


def test_csv_reads_back_with_hostile_cells_neutralised(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = report(session_for(tmp_path, capsys, evidence()), "csv", capsys)
    assert text.startswith("\ufeff")  # spreadsheets open it as UTF-8
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == len(evidence().evidence)  # one row per result, passes included
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r", "＝")), value
    summaries = {row["summary"] for row in rows}
    for hostile in HOSTILE:
        expected = hostile if hostile.startswith("a ") else "'" + hostile
        assert expected in summaries
    url = next(row for row in rows if row["check_id"] == "lambda.function_url_auth_none")
    assert url["resource_name"] == "'=cmd|' /C calc'!A0"
    assert url["resource_arn"] == FN  # starts with 'arn:': left as it is
    assert url["severity"] == "high" and url["status"] == "warn"
    assert url["practice"] == "Evaluate and define resource policies"
    assert url["choice_id"] == "sec_sec_q2_a1"


def test_redacted_ocsf_masks_the_account(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session = session_for(tmp_path, capsys, evidence())
    text = report(session, "ocsf", capsys, "--redact-account-ids")
    assert ACCOUNT not in text
    assert json.loads(text)[0]["cloud"]["account"]["uid"] == "account-1"


@pytest.mark.parametrize(
    ("arn", "kind"),
    [
        (QUEUE, "sqs:queue"),
        ("arn:aws:s3:::bucket", "s3:bucket"),
        ("arn:aws:lambda:eu-west-1:1:function:f", "lambda:function"),
        ("arn:aws:apigateway:eu-west-1::/restapis/abc", "apigateway:restapis"),
        ("arn:aws:iam::1:role/path/r", "iam:role"),
        ("not an arn", ""),
    ],
)
def test_resource_type_from_the_arn(arn: str, kind: str) -> None:
    assert resource_type(arn) == kind
