"""The strict loader: the shipped file loads, and each kind of bad YAML gets a precise message."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from tests.unit.questionnaire.conftest import SEC2_PATH, WriteYaml
from wa_review.errors import InputFileError
from wa_review.model.questionnaire import Level, SuggestRule
from wa_review.questionnaires import (
    MAX_QUESTIONNAIRE_BYTES,
    load_builtin,
    load_directory,
    load_questionnaire,
    sec2,
)

A1, A4, A2, A3, NO = (
    "sec_sec_q2_a1",
    "sec_sec_q2_a4",
    "sec_sec_q2_a2",
    "sec_sec_q2_a3",
    "sec_sec_q2_no",
)


def _error(path: Path, **kwargs: Any) -> str:
    with pytest.raises(InputFileError) as info:
        load_questionnaire(path, **kwargs)
    return info.value.message


def test_shipped_sec2_loads(checks: frozenset[str]) -> None:
    q = load_questionnaire(SEC2_PATH, known_check_ids=checks)
    assert (q.lens_alias, q.pillar_id, q.question_id) == ("serverless", "security", "sec_q2")
    assert q.choice_ids == (A1, A4, A2, A3, NO)
    assert [c.level for c in q.choices] == [
        Level.REQUIRED,
        Level.REQUIRED,
        Level.GOOD,
        Level.BEST,
        None,
    ]
    assert q.choice(NO).suggestion.rule is SuggestRule.NONE_OF_THESE
    # Counts are not pinned: adding a check to a choice must not break this test.
    assert q.choice(A1).checks and q.choice(A2).checks and q.choice(A3).checks
    assert {"lambda.unique_execution_role", "lambda.no_static_credentials"} <= set(
        q.choice(A4).checks
    )
    for choice in q.choices[:-1]:
        assert choice.guidance is not None and choice.guidance.links
        assert choice.improvement_plan.strip()
        assert all(
            link.url.startswith("https://docs.aws.amazon.com/") for link in choice.guidance.links
        )


def test_builtin_and_sec2_helpers(checks: frozenset[str]) -> None:
    assert [q.question_id for q in load_builtin(known_check_ids=checks)] == ["sec_q2"]
    assert sec2(known_check_ids=checks).short_name == "sec2"


def test_unknown_check_message_names_file_and_path(
    data: dict[str, Any], write_yaml: WriteYaml, checks: frozenset[str]
) -> None:
    data["choices"][2]["checks"][1] = "lambda.nope"
    path = write_yaml(data)
    with pytest.raises(InputFileError) as info:
        load_questionnaire(path, known_check_ids=checks)
    assert info.value.message == "sec_q2.yaml: choices[2].checks[1]: unknown check 'lambda.nope'"
    assert str(path) in info.value.hint


def test_duplicate_choice_id(
    data: dict[str, Any], write_yaml: WriteYaml, checks: frozenset[str]
) -> None:
    data["choices"][3]["id"] = A1
    assert _error(write_yaml(data), known_check_ids=checks) == (
        "sec_q2.yaml: choices[3].id: duplicate choice id 'sec_sec_q2_a1' (first at choices[0])"
    )


def test_check_used_twice(
    data: dict[str, Any], write_yaml: WriteYaml, checks: frozenset[str]
) -> None:
    data["choices"][3]["checks"].append("lambda.unique_execution_role")
    assert _error(write_yaml(data), known_check_ids=checks) == (
        "sec_q2.yaml: choices[3].checks[2]: check 'lambda.unique_execution_role' is already "
        "used by 'sec_sec_q2_a4'"
    )


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("sec_sec_q2_a1 &&", "expected a choice id at column 17"),
        ("sec_sec_q2_a1 && sec_sec_q2_zz", "unknown choice 'sec_sec_q2_zz' at column 18"),
        ("(sec_sec_q2_a1 || sec_sec_q2_a4", "expected ')' at column 32"),
        ("sec_sec_q2_a1 and sec_sec_q2_a4", "unexpected 'and' at column 15"),
        ("sec_sec_q2_a1 & sec_sec_q2_a4", "unexpected '&' at column 15"),
    ],
)
def test_bad_condition(
    data: dict[str, Any],
    write_yaml: WriteYaml,
    checks: frozenset[str],
    condition: str,
    expected: str,
) -> None:
    data["risk_rules"][1]["condition"] = condition
    assert _error(write_yaml(data), known_check_ids=checks) == (
        f"sec_q2.yaml: risk_rules[1].condition: bad condition: {expected}"
    )


def test_default_rule_must_be_last(
    data: dict[str, Any], write_yaml: WriteYaml, checks: frozenset[str]
) -> None:
    data["risk_rules"].reverse()
    assert _error(write_yaml(data), known_check_ids=checks) == (
        "sec_q2.yaml: risk_rules[0].condition: 'default' must be the last rule"
    )
    data["risk_rules"] = data["risk_rules"][1:]
    data["risk_rules"].reverse()
    assert "the last rule must be 'default'" in _error(write_yaml(data), known_check_ids=checks)


def test_one_rule_per_risk(
    data: dict[str, Any], write_yaml: WriteYaml, checks: frozenset[str]
) -> None:
    data["risk_rules"][1]["risk"] = "NONE"
    assert _error(write_yaml(data), known_check_ids=checks) == (
        "sec_q2.yaml: risk_rules[1].risk: risk NONE has a rule already"
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["choices"][0].update(checks="lambda.x"),
            "choices[0].checks: Input should be a valid list (got 'lambda.x')",
        ),
        (
            lambda d: d["choices"][1].update(level="great"),
            "choices[1].level: Input should be 'required', 'good' or 'best' (got 'great')",
        ),
        (lambda d: d.update(schema_version=2), "schema_version: Input should be 1 (got 2)"),
        (lambda d: d["risk_rules"][0].update(risk="LOW"), "risk_rules[0].risk: Input should be"),
        (lambda d: d.update(choices={"a": 1}), "choices: Input should be a valid list"),
        (
            lambda d: d["choices"][0].update(title=7),
            "choices[0].title: Input should be a valid string (got 7)",
        ),
    ],
)
def test_wrong_types(
    data: dict[str, Any], write_yaml: WriteYaml, checks: frozenset[str], change: Any, expected: str
) -> None:
    change(data)
    assert _error(write_yaml(data), known_check_ids=checks).startswith(f"sec_q2.yaml: {expected}")


def test_unknown_and_missing_keys(
    data: dict[str, Any], write_yaml: WriteYaml, checks: frozenset[str]
) -> None:
    data["choices"][2]["guidance"]["tips"] = "x"
    assert _error(write_yaml(data), known_check_ids=checks) == (
        "sec_q2.yaml: choices[2].guidance: unknown key 'tips'"
    )
    del data["choices"][2]["guidance"]["tips"]
    data["colour"] = "blue"
    assert _error(write_yaml(data), known_check_ids=checks) == "sec_q2.yaml: unknown key 'colour'"
    del data["colour"]
    del data["title"]
    assert (
        _error(write_yaml(data), known_check_ids=checks)
        == "sec_q2.yaml: missing required key 'title'"
    )


def test_text_outside_the_lens_character_set(
    data: dict[str, Any], write_yaml: WriteYaml, checks: frozenset[str]
) -> None:
    data["choices"][0]["title"] = 'Evaluate "resource" policies; 100%'
    message = _error(write_yaml(data), known_check_ids=checks)
    assert message.startswith("sec_q2.yaml: choices[0].title: characters the WA Tool refuses")
    assert "'\"'" in message and "';'" in message and "'%'" in message


def test_links_must_be_http(
    data: dict[str, Any], write_yaml: WriteYaml, checks: frozenset[str]
) -> None:
    data["choices"][0]["guidance"]["links"][0]["url"] = "javascript:alert(1)"
    assert _error(write_yaml(data), known_check_ids=checks) == (
        "sec_q2.yaml: choices[0].guidance.links[0].url: a link must start with https:// or http://"
    )


def test_choice_shape_rules(
    data: dict[str, Any], write_yaml: WriteYaml, checks: frozenset[str]
) -> None:
    data["choices"][4]["checks"] = ["lambda.function_policy_public"]
    assert "'None of these' takes no checks" in _error(write_yaml(data), known_check_ids=checks)
    data["choices"][4]["checks"] = []
    data["choices"][1]["checks"] = []
    assert _error(write_yaml(data), known_check_ids=checks) == (
        "sec_q2.yaml: choices[1].checks: rule 'evidence' needs at least one check"
    )
    data["choices"][1]["suggestion"] = {"rule": "manual"}
    del data["choices"][1]["guidance"]
    assert _error(write_yaml(data), known_check_ids=checks) == (
        "sec_q2.yaml: choices[1]: missing required key 'guidance' (every practice has one)"
    )


def test_yaml_aliases_are_refused_quickly(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.monotonic()
    message = _error(path, known_check_ids=set())
    assert time.monotonic() - started < 2
    assert message == "bomb.yaml: line 2, column 8: aliases (*name) are not allowed here"


def test_duplicate_yaml_keys_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text("schema_version: 1\ntitle: a\ntitle: b\n", encoding="utf-8")
    assert (
        _error(path, known_check_ids=set()) == "dup.yaml: line 3, column 1: duplicate key 'title'"
    )


def test_huge_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text("x: " + "a" * MAX_QUESTIONNAIRE_BYTES + "\n", encoding="utf-8")
    message = _error(path, known_check_ids=set())
    assert message.startswith("huge.yaml: 1,048,580 bytes is more than the 1,048,576 allowed")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- a\n- b\n", "huge.yaml: expected a mapping at the top level, got list"),
        ("", "huge.yaml: expected a mapping at the top level, got an empty file"),
        ("a: [1, 2\n", "huge.yaml: line 2, column 1: expected ',' or ']', but got '<stream end>'"),
        ("a: " + "[" * 1500 + "\n", "huge.yaml: nested too deeply"),
    ],
    ids=["list", "empty", "syntax", "deep"],
)
def test_not_a_mapping_or_not_yaml(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text(text, encoding="utf-8")
    assert _error(path, known_check_ids=set()) == expected


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"title: caf\xe9\n")
    assert _error(path, known_check_ids=set()) == "latin.yaml: not UTF-8 text (byte 10)"


def test_directory_refuses_the_same_question_twice(
    tmp_path: Path, data: dict[str, Any], checks: frozenset[str]
) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    text = SEC2_PATH.read_text(encoding="utf-8")
    (tmp_path / "one" / "sec_q2.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "two" / "copy.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(
        InputFileError, match=r"copy.yaml: question_id: 'sec_q2' of lens 'serverless'"
    ):
        load_directory(tmp_path, known_check_ids=checks)


def test_builtin_set_must_use_every_registered_check(checks: frozenset[str]) -> None:
    assert load_builtin(known_check_ids=checks)
    with pytest.raises(InputFileError) as info:
        load_builtin(known_check_ids=checks | {"glue.orphan"})
    assert info.value.message == (
        "builtin: check 'glue.orphan' is registered but no questionnaire uses it"
    )
