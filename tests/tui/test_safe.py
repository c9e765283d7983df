"""AWS text is shown literally: no markup, no control sequences."""

from __future__ import annotations

import pytest
from rich.console import Console

from wa_review.tui.safe import clean, literal


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("[bold]x[/]", "[bold]x[/]"),
        ("[/]", "[/]"),
        ("\x1b[31mred", "\\x1b[31mred"),
        ("\x1b]0;title\x07rest", "\\x1b]0;title\\x07rest"),
        ("\x9b31m", "\\x9b31m"),
        ("a\x00b\x7fc", "a\\x00b\\x7fc"),
        ("abc\u202edef", "abc\\u202edef"),
        ("line\nbreak\ttab", "line\\nbreak\\ttab"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
    ],
)
def test_clean_makes_every_control_character_visible(raw: str, shown: str) -> None:
    assert clean(raw) == shown


def test_multiline_keeps_newlines_and_expands_tabs() -> None:
    assert clean("a\r\nb\tc\x1b", multiline=True) == "a\nb    c\\x1b"


def test_literal_renders_markup_as_text_and_emits_no_escape() -> None:
    console = Console(width=80, force_terminal=True, color_system="truecolor", record=True)
    console.print(literal("[bold]x[/] \x1b[31mred [link=http://x]y[/link]"))
    text = console.export_text()
    assert text.strip() == "[bold]x[/] \\x1b[31mred [link=http://x]y[/link]"
    assert literal("[bold]x[/]").spans == []
