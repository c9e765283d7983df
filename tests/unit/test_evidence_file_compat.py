"""Evidence files written before the YAML alone mapped checks to choices still load."""

from __future__ import annotations

import json
from pathlib import Path

from wa_review.model.evidence import Evidence, Status
from wa_review.model.evidence_file import CollectionStats, EvidenceFile, load_evidence_file


def _file() -> EvidenceFile:
    item = Evidence("sqs.queue_policy_public", Status.FAIL, "arn:q", "eu-west-1", "1" * 12, "open")
    return EvidenceFile(
        tool_version="0.1.0",
        collected_at="2026-03-02T09:30:00+00:00",
        accounts=("1" * 12,),
        regions=("eu-west-1",),
        scope={},
        stats=CollectionStats(),
        errors=(),
        evidence=(item,),
    )


def test_new_files_name_no_choice(tmp_path: Path) -> None:
    path = tmp_path / "evidence.json"
    _file().save(path)
    assert "choice_id" not in json.loads(path.read_text())["evidence"][0]
    assert load_evidence_file(path).evidence == _file().evidence


def test_older_files_with_a_choice_id_per_item_still_load(tmp_path: Path) -> None:
    path = tmp_path / "evidence.json"
    data = _file().to_dict()
    data["evidence"][0]["choice_id"] = "sec_sec_q2_a1"
    path.write_text(json.dumps(data))
    assert load_evidence_file(path).evidence == _file().evidence
