"""Saving and loading sessions: readable YAML, atomic writes, last good copy, damaged files."""

from __future__ import annotations

from pathlib import Path

import pytest

from wa_review.errors import InputFileError
from wa_review.review.session import Decision, ReviewSession, annotate, decide, with_question_notes
from wa_review.review.store import last_good_copy, load_session, save_session

A1 = "sec_sec_q2_a1"


def test_round_trip_is_exact(session: ReviewSession, tmp_path: Path) -> None:
    edited = with_question_notes(
        annotate(decide(session, A1, Decision.SELECTED, by="alice"), A1, "scoped: ok #1"),
        "Line one\nLine two: with *stars* and <b>tags</b>\n",
    )
    path = tmp_path / "review.yaml"
    save_session(edited, path)
    assert load_session(path) == edited


def test_yaml_is_readable(session: ReviewSession, tmp_path: Path) -> None:
    path = tmp_path / "review.yaml"
    save_session(with_question_notes(session, "first line\nsecond line"), path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# wa-review review session.")
    assert "schema_version: 1\n" in text
    assert "notes: |-\n  first line\n  second line\n" in text  # a block scalar, not "\n" escapes
    assert "&id" not in text and "*id" not in text  # no anchors or aliases
    assert text.index("workload:") < text.index("choices:")  # fields in model order


def test_saving_keeps_the_previous_good_copy_and_leaves_no_temp_files(
    session: ReviewSession, tmp_path: Path
) -> None:
    path = tmp_path / "review.yaml"
    save_session(session, path)
    assert not last_good_copy(path).exists()
    first = path.read_text(encoding="utf-8")
    save_session(decide(session, A1, Decision.SELECTED, by="a"), path)
    assert last_good_copy(path) == tmp_path / "review.yaml.bak"
    assert last_good_copy(path).read_text(encoding="utf-8") == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["review.yaml", "review.yaml.bak"]


def test_a_damaged_file_is_refused_and_names_the_last_good_copy(
    session: ReviewSession, tmp_path: Path
) -> None:
    path = tmp_path / "review.yaml"
    save_session(session, path)
    save_session(decide(session, A1, Decision.SELECTED, by="a"), path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("decision: SELECTED", "decision: MAYBE"), encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        load_session(path)
    assert info.value.message.startswith(f"{path}: damaged review session: choices[0].decision:")
    assert str(tmp_path / "review.yaml.bak") in info.value.hint
    assert load_session(last_good_copy(path)) == session


def test_a_damaged_file_never_becomes_the_last_good_copy(
    session: ReviewSession, tmp_path: Path
) -> None:
    path = tmp_path / "review.yaml"
    save_session(session, path)
    save_session(session, path)
    good = last_good_copy(path).read_text(encoding="utf-8")
    path.write_text("schema_version: 1\nworkload: [", encoding="utf-8")  # truncated by a crash
    save_session(session, path)
    assert last_good_copy(path).read_text(encoding="utf-8") == good
    assert load_session(path) == session


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("schema_version: 1\nworkload: [\n", "damaged review session: line 3, column 1:"),
        ("- just\n- a list\n", "damaged review session: not a YAML mapping"),
        ("schema_version: 7\n", "schema_version 7 was written by a newer wa-review"),
        ("tool_version: x\n", "schema_version: expected 1, got None"),
        (
            "schema_version: 1\ntool_version: x\n",
            "damaged review session: missing required key 'workload'",
        ),
        ("a: &x [1]\nb: *x\n", "damaged review session: line 2, column 4: aliases"),
    ],
)
def test_damaged_files(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "review.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        load_session(path)
    assert info.value.message.startswith(f"{path}: {expected}")
    assert "assess" in info.value.hint or "Upgrade" in info.value.hint


def test_unknown_keys_in_a_session_are_refused(session: ReviewSession, tmp_path: Path) -> None:
    path = tmp_path / "review.yaml"
    save_session(session, path)
    path.write_text(path.read_text(encoding="utf-8") + "colour: blue\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="unknown key 'colour'"):
        load_session(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="Cannot read review session"):
        load_session(tmp_path / "nope.yaml")
