"""Loading what `push` sends: interchange JSON, review sessions (delegated), clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.watool.conftest import sec2_payload
from wa_review.errors import InputFileError, WaToolError
from wa_review.watool.payload import QUESTION_NOTES_MAX
from wa_review.watool.source import load_payload


def test_interchange_json_round_trips_and_extra_keys_are_ignored(tmp_path: Path) -> None:
    payload = sec2_payload()
    data = {
        **payload.to_interchange(),
        "schema_version": 1,
        "evidence": {"sec_q2": {"sec_sec_q2_a1": ["lambda-policy-scoped"]}},
        "workload": {"name": "orders"},
    }
    path = tmp_path / "answer.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert load_payload(path) == payload


def test_overlong_notes_are_cut_with_a_marker(tmp_path: Path) -> None:
    data = sec2_payload().to_interchange()
    data["Notes"] = "evidence line\n" * 400
    updates = data["ChoiceUpdates"]
    assert isinstance(updates, dict)
    updates["sec_sec_q2_a1"]["Notes"] = "scoped " * 60
    path = tmp_path / "answer.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    loaded = load_payload(path)
    assert len(loaded.notes) <= QUESTION_NOTES_MAX and "cut by wa-review" in loaded.notes
    assert len(loaded.choices[0].notes) <= 250 and loaded.choices[0].notes.endswith("[…]")


def test_bad_json_names_the_file_and_place(tmp_path: Path) -> None:
    path = tmp_path / "answer.json"
    path.write_text('{"QuestionId": ', encoding="utf-8")
    with pytest.raises(InputFileError, match=r"answer.json is not valid JSON \(line 1"):
        load_payload(path)


def test_an_invalid_answer_names_the_field(tmp_path: Path) -> None:
    data = sec2_payload().to_interchange()
    data["ChoiceUpdates"] = {
        "sec_sec_q2_no": {"Status": "SELECTED"},
        "sec_sec_q2_a1": {"Status": "SELECTED"},
    }
    path = tmp_path / "answer.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputFileError, match="None of these"):
        load_payload(path)


def test_review_sessions_are_read_by_the_review_layer(tmp_path: Path) -> None:
    # The WA Tool layer never imports the review layer: it points there instead.
    with pytest.raises(WaToolError, match=r"is a review session"):
        load_payload(tmp_path / "review.yml")
