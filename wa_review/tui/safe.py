"""Show text that came from AWS literally: no Rich markup, no terminal control sequences."""

from __future__ import annotations

import re

from rich.text import Text

# C0 and C1 controls (ESC among them: escaping it defuses any sequence it starts), DEL, and the
# bidi and zero-width marks that can reorder or hide what is shown ("Trojan source").
# Newline and tab are left to the caller's mode.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(value: object, *, multiline: bool = False) -> str:
    """`value` as plain text in which every control character is written as a visible escape.

    With `multiline`, newlines are kept and tabs become spaces; otherwise both are shown escaped.
    """
    text = value if isinstance(value, str) else str(value)
    if multiline:
        text = text.replace("\r\n", "\n").replace("\t", "    ")
    else:
        text = text.replace("\n", "\\n").replace("\t", "\\t")
    return _CONTROL.sub(_visible, text)


def literal(value: object, *, style: str = "", multiline: bool = False) -> Text:
    """A Rich Text of `value` that renders exactly as written: markup is never parsed."""
    return Text(clean(value, multiline=multiline), style=style, end="", no_wrap=not multiline)
