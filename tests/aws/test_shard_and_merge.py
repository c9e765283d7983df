"""`collect --accounts-shard K/N` parts joined by `wa-review merge` give the whole review."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.aws.test_organization_review import ROLE, Org
from tests.conftest import make_context
from wa_review.aws.collectors.sqs import SqsCollector
from wa_review.aws.run import collect_inventory
from wa_review.cli import main
from wa_review.model.inventory import CheckConfig
from wa_review.pipeline import build_evidence_file, run_checks


def _collect(session: Any, out: Path, **options: Any) -> Path:
    ctx = make_context(session, org_role=ROLE, **options)
    collection = collect_inventory(ctx, collectors=(SqsCollector,))
    build_evidence_file(collection, run_checks(collection, CheckConfig())).save(out)
    return out


def _findings(path: Path) -> set[tuple[str, str, str, str]]:
    raw = json.loads(path.read_text())
    return {(e["account"], e["check_id"], e["resource_arn"], e["status"]) for e in raw["evidence"]}


@pytest.fixture
def org(moto: Any) -> Org:
    org = Org(moto)
    for n in range(4):
        account = org.account(f"m{n}")
        org.as_account(account).client("sqs").create_queue(QueueName=f"q{n}")
    return org


def test_the_shards_merged_are_the_whole_review(org: Org, tmp_path: Path) -> None:
    whole = _collect(org.session, tmp_path / "whole.json")
    parts = [
        _collect(org.session, tmp_path / f"part{k}.json", accounts_shard=(k, 2)) for k in (1, 2)
    ]
    out = tmp_path / "merged.json"
    main(["merge", *map(str, parts), "-o", str(out)])
    assert _findings(out) == _findings(whole)
    merged, full = json.loads(out.read_text()), json.loads(whole.read_text())
    assert merged["accounts"] == full["accounts"]
    assert merged["scope"]["organization"] == full["scope"]["organization"]


def _refused(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exited:
        main(["merge", *args])
    assert exited.value.code == 2
    return capsys.readouterr().err


def test_overlapping_files_are_refused(
    org: Org, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    part = _collect(org.session, tmp_path / "part1.json", accounts_shard=(1, 2))
    whole = _collect(org.session, tmp_path / "whole.json")
    out = tmp_path / "merged.json"
    said = _refused([str(part), str(whole), "-o", str(out)], capsys)
    assert "both hold account" in said and "counted" not in said
    assert not out.exists()


def test_files_of_different_reviews_are_refused(
    org: Org, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = _collect(org.session, tmp_path / "one.json", accounts_shard=(1, 2))
    other = _collect(org.session, tmp_path / "other.json", accounts_shard=(2, 2))
    raw = json.loads(other.read_text())
    raw["scope"]["mode"] = "tags"
    other.write_text(json.dumps(raw))
    said = _refused([str(one), str(other), "-o", str(tmp_path / "m.json")], capsys)
    assert "not parts of one review: their scope differs" in said
