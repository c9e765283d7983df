"""The report appendix says the scope in sentences, not as raw fields."""

from __future__ import annotations

from wa_review.report.context import scope_sentences


def test_everything_in_scope_is_one_sentence() -> None:
    lines = scope_sentences({"mode": "all", "stacks": [], "tags": [], "resources": 0, "notes": []})
    assert lines == [
        "Every resource the credentials could read in these regions was judged: "
        "no stack or tag narrowed the scope."
    ]


def test_stacks_tags_and_notes_read_as_sentences() -> None:
    lines = scope_sentences(
        {
            "mode": "stacks+tags",
            "stacks": ["airline"],
            "tags": ["app=orders", "team=pay"],
            "resources": 12,
            "notes": ["no resource carries the requested tags"],
        }
    )
    assert lines[0] == (
        "Judged: the CloudFormation stack airline (nested stacks included) and resources "
        "tagged app=orders or team=pay (12 resources)."
    )
    assert "Note: no resource carries the requested tags." in lines
    assert not any("notes:" in line or "[]" in line for line in lines)
