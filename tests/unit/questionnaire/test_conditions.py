"""Risk-rule conditions: parsing, errors, and evaluation with not-applicable as neutral."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wa_review.questionnaires.conditions import (
    And,
    ConditionError,
    Not,
    Or,
    Var,
    evaluate,
    names_in,
    parse_condition,
)

NAMES = ("a1", "a2", "a3", "no")


def test_precedence_and_grouping() -> None:
    assert parse_condition("a1 || a2 && !a3") == Or(Var("a1"), And(Var("a2"), Not(Var("a3"))))
    assert parse_condition("(a1 || a2) && a3") == And(Or(Var("a1"), Var("a2")), Var("a3"))
    assert parse_condition("!!a1") == Not(Not(Var("a1")))
    assert names_in(parse_condition("a1 && (a2 || !no)")) == {"a1", "a2", "no"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty condition at column 1"),
        ("   ", "empty condition at column 1"),
        ("a1 &&", "expected a choice id at column 6"),
        ("&& a1", "expected a choice id, got '&&' at column 1"),
        ("a1 a2", "unexpected 'a2' at column 4"),
        ("a1 )", "unexpected ')' at column 4"),
        ("(a1", "expected ')' at column 4"),
        ("a1 == a2", "unexpected '=' at column 4"),
        ("__import__('os')", 'unexpected "\'" at column 12'),
        ("zz", "unknown choice 'zz' at column 1"),
    ],
)
def test_errors_say_where(text: str, message: str) -> None:
    with pytest.raises(ConditionError) as info:
        parse_condition(text, choice_ids=NAMES)
    assert str(info.value) == message


def test_deep_nesting_is_refused_not_a_crash() -> None:
    with pytest.raises(ConditionError, match="nested too deeply"):
        parse_condition("(" * 200 + "a1" + ")" * 200)
    with pytest.raises(ConditionError, match="nested too deeply"):
        parse_condition("!" * 200 + "a1")


def test_not_applicable_is_neutral() -> None:
    both = parse_condition("a1 && a2")
    either = parse_condition("a1 || a2")
    assert evaluate(both, {"a1": True, "a2": None})  # N/A satisfies an && term
    assert not evaluate(either, {"a1": False, "a2": None})  # ...but does not satisfy ||
    assert evaluate(either, {"a1": None, "a2": None})  # only neutral terms: true
    assert evaluate(parse_condition("a1 && !no"), {"a1": None, "no": False})
    assert not evaluate(parse_condition("a1 && !no"), {"a1": None, "no": True})
    assert not evaluate(both, {"a1": True})  # an absent choice is not selected


# A reference evaluator on booleans only (no N/A): must agree with Python's own logic.
exprs = st.recursive(
    st.sampled_from(NAMES),
    lambda inner: st.one_of(
        st.tuples(st.just("!"), inner).map(lambda t: f"!{t[1]}"),
        st.tuples(inner, st.sampled_from(["&&", "||"]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
    ),
    max_leaves=12,
)


@given(exprs, st.fixed_dictionaries({n: st.booleans() for n in NAMES}))
def test_agrees_with_python_on_booleans(text: str, values: dict[str, bool]) -> None:
    python = text.replace("&&", " and ").replace("||", " or ").replace("!", " not ")
    expected = eval(python, {"__builtins__": {}}, dict(values))  # test oracle only
    assert evaluate(parse_condition(text, choice_ids=NAMES), values) is expected
