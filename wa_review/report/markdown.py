"""Markdown safety: escape untrusted text (anything from AWS or typed by a person) so it renders
as the same literal text everywhere, and turn our Markdown into HTML with raw HTML disabled."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

# Characters that start Markdown constructs inline: code, emphasis, links/images, raw HTML and
# autolinks, table cells, strikethrough, entities, headings. Backslash first, so our own escapes
# are not escaped again.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&!#])")
# C0 and C1 controls (a report may be read with `cat`: ESC and CSI start terminal sequences),
# DEL, line separators, and the bidi overrides and isolates that reorder what a reader sees.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n|\t")
# At the start of a line these make a list, a quote or a heading underline.
_LEADING = re.compile(r"^(?:([-+=])|(\d{1,9})([.)]))(?=\s|$)")


class Trusted(str):
    """Markdown we wrote (questionnaire guidance, check remediation): rendered as is."""

    __slots__ = ()


def _escape_line(text: str) -> str:
    text = _SPECIAL.sub(r"\\\1", _CONTROL.sub("", text).strip())
    return _LEADING.sub(
        lambda m: f"\\{m.group(1)}" if m.group(1) else f"{m.group(2)}\\{m.group(3)}", text
    )


def md_escape(value: object) -> str:
    """One line of literal text: newlines become spaces, Markdown syntax is backslash-escaped."""
    if isinstance(value, Trusted):
        return str(value)
    return _escape_line(_LINE_BREAK.sub(" ", str(value)))


def md_lines(value: object) -> str:
    """Several lines of literal text (notes), kept as lines with hard breaks."""
    lines = [_escape_line(line) for line in str(value).splitlines()]
    return "\\\n".join(line for line in lines if line) if lines else ""


def md_to_html(markdown: str) -> str:
    """Render with the `js-default` preset: raw HTML is text, unsafe link schemes are refused.

    Images are switched off too: a report must not load anything from anywhere.
    """
    renderer = MarkdownIt("js-default").disable("image")
    return str(renderer.render(markdown))


_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
_EMPHASIS = re.compile(r"(\*\*|__|`)")
_ITEM = re.compile(r"^(?:[-+*]|\d{1,9}[.)])\s")


def md_to_plain(markdown: str) -> str:
    """Our guidance Markdown as plain text (the WA Tool shows custom-lens text unformatted).

    Hard-wrapped lines are joined, so only list items and paragraphs start new lines.
    """
    text = _EMPHASIS.sub("", _LINK.sub(r"\1 (\2)", markdown))
    out: list[str] = []
    joinable = False
    for raw in text.strip().splitlines():
        line = raw.strip()
        if not line:
            out.append("")
            joinable = False
        elif joinable and not _ITEM.match(line):
            out[-1] += " " + line
        else:
            out.append(line)
            joinable = True
    return "\n".join(out)
