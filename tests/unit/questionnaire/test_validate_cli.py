"""`wa-review validate PATH` on broken files: every problem, each with its line, exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.questionnaire.conftest import SEC2_PATH
from wa_review.cli import main


def _broken(tmp_path: Path, *edits: tuple[str, str]) -> tuple[Path, str]:
    """The shipped SEC2 text with each (old, new) replaced once; the file and its new text."""
    text = SEC2_PATH.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    return path, text


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def _run(path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as stopped:
        main(["validate", str(path)])
    out = capsys.readouterr()
    assert stopped.value.code == 2, out
    text = out.out + out.err
    assert "Traceback" not in text
    return out.err


def test_misspelt_key_has_line_and_suggestion(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, text = _broken(tmp_path, ("\nquestion_id:", "\nquestoin_id:"))
    err = _run(path, capsys)
    line = _line_of(text, "questoin_id:")
    assert f"{path}:{line}:1: unknown key 'questoin_id' (did you mean 'question_id'?)" in err
    assert "missing required key 'question_id'" in err  # the other side of the same typo


def test_misspelt_nested_key_suggests_from_that_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, text = _broken(tmp_path, ("    guidance:\n", "    guidanse:\n"))
    err = _run(path, capsys)
    line = _line_of(text, "guidanse:")
    assert f"{path}:{line}:5: choices[0]: unknown key 'guidanse' (did you mean 'guidance'?)" in err


def test_wrong_type_points_at_the_value(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, text = _broken(tmp_path, ("schema_version: 1", "schema_version: [1]"))
    err = _run(path, capsys)
    assert f"{path}:{_line_of(text, 'schema_version')}:17: schema_version:" in err


def test_two_errors_in_one_file_both_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, text = _broken(
        tmp_path, ("\nshort_name:", "\nshort_nmae:"), ("\npillar_name:", "\npillar_nam:")
    )
    err = _run(path, capsys)
    assert f"{path}:{_line_of(text, 'short_nmae')}:1: unknown key 'short_nmae'" in err
    assert f"{path}:{_line_of(text, 'pillar_nam:')}:1: unknown key 'pillar_nam'" in err
    assert "(did you mean 'short_name'?)" in err
    assert "(did you mean 'pillar_name'?)" in err


def test_every_unknown_check_id_is_reported_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, text = _broken(
        tmp_path,
        ("- lambda.function_policy_public", "- lambda.no_such_check"),
        ("- lambda.function_policy_cross_account", "- lambda.nor_this_one"),
    )
    err = _run(path, capsys)
    for check in ("lambda.no_such_check", "lambda.nor_this_one"):
        line = _line_of(text, check)
        assert f"{path}:{line}:9: choices[" in err
        assert f"unknown check '{check}'" in err
    assert "error: " in err and "problem(s) in 1 of 1 questionnaire file(s)" in err


def test_risk_rule_naming_an_unknown_choice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = SEC2_PATH.read_text(encoding="utf-8")
    choice = "sec_sec_q2_a1"
    after_rules = source[source.index("risk_rules:") :]
    assert choice in after_rules
    path = tmp_path / "broken.yaml"
    text = source[: source.index("risk_rules:")] + after_rules.replace(choice, "sec_nope", 1)
    path.write_text(text, encoding="utf-8")
    err = _run(path, capsys)
    rules_at = text.index("risk_rules:")
    # the condition's value starts on its key's line (a folded '>-' scalar starts at the '>')
    line = text[: text.index("condition:", rules_at)].count("\n") + 1
    assert f"{path}:{line}:" in err and "risk_rules[0].condition: bad condition" in err
    assert "sec_nope" in err


def test_yaml_syntax_error_has_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("schema_version: 1\nlens_alias: [unclosed\n", encoding="utf-8")
    err = _run(path, capsys)
    assert f"{path}:3:" in err


def test_folder_reports_every_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = SEC2_PATH.read_text(encoding="utf-8")
    (tmp_path / "a.yaml").write_text(text.replace("\ntitle:", "\ntitel:", 1), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(
        text.replace("\nlens_name:", "\nlensname:", 1), encoding="utf-8"
    )
    err = _run(tmp_path, capsys)
    assert "a.yaml:" in err and "(did you mean 'title'?)" in err
    assert "b.yaml:" in err and "(did you mean 'lens_name'?)" in err
    assert "in 2 of 2 questionnaire file(s)" in err


def test_shipped_questionnaires_still_validate(capsys: pytest.CaptureFixture[str]) -> None:
    main(["validate"])
    out = capsys.readouterr()
    assert "questionnaire(s) valid" in out.out
    assert out.err == ""
