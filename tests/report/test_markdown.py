"""md_escape: any text from AWS renders as exactly that text, in a paragraph and in a table cell."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from wa_review.report.markdown import Trusted, md_escape, md_lines, md_to_html, md_to_plain
from wa_review.report.render import _code

RENDER = MarkdownIt("js-default")

# Text as collectors may report it: anything printable, plus the odd newline or tab.
aws_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029")
    | st.sampled_from(list("\n\t\r`*_[]()<>|~&!#-+=.\\:/\"'1 ")),
    max_size=60,
)


def expected(text: str) -> str:
    """What a reader should see: the text, with line breaks and tabs as spaces, trimmed."""
    flat = re.sub(r"\r\n|\r|\n|\t", " ", text).strip()
    return (
        flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


@settings(max_examples=400, deadline=None)
@given(aws_text)
@example("<script>alert(1)</script>")
@example("[x](javascript:alert(1))")
@example("![img](http://x)")
@example("[bold]x[/]")
@example("1. not a list")
@example("- not a list")
@example("# not a heading")
@example("> not a quote")
@example("&amp; &#x41;")
@example("**not bold** and `not code` ~~not struck~~")
@example("a\\")
@example("=")
@example("    indented")
def test_paragraph_shows_the_text_literally(text: str) -> None:
    want = expected(text)
    html = RENDER.render(md_escape(text))
    assert html == (f"<p>{want}</p>\n" if want else "")


@settings(max_examples=300, deadline=None)
@given(aws_text)
@example("a | b")
@example("|")
def test_table_cell_shows_the_text_literally(text: str) -> None:
    cell = md_escape(text) or "-"
    html = RENDER.render(f"| head |\n|---|\n| {cell} |\n")
    match = re.search(r"<td>(.*)</td>", html, re.S)
    assert match is not None, html
    assert match.group(1) == (expected(text) or "-")


def test_trusted_markdown_passes_through() -> None:
    assert md_escape(Trusted("**ours**")) == "**ours**"
    assert md_escape("**theirs**") == r"\*\*theirs\*\*"


def test_lines_keep_their_breaks_and_stay_literal() -> None:
    html = RENDER.render(md_lines("one <b>\n- two\n\n# three"))
    assert html == "<p>one &lt;b&gt;<br>\n- two<br>\n# three</p>\n"


@pytest.mark.parametrize("text", ["a`b", "``x``", "plain", "<i>"])
def test_code_spans_hold_any_text(text: str) -> None:
    html = RENDER.render(_code(text))
    escaped = text.replace("<", "&lt;").replace(">", "&gt;")
    assert html == f"<p><code>{escaped}</code></p>\n"


def test_html_rendering_refuses_raw_html_images_and_script_links() -> None:
    html = md_to_html("<script>x</script> ![i](http://x) [a](javascript:alert(1)) [b](https://ok)")
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert '<a href="https://ok">b</a>' in html


def test_plain_text_for_the_lens() -> None:
    text = "Use **this** and `that`, see [docs](https://x.example/a).\n- one\n  wrapped\n- two"
    assert (
        md_to_plain(text)
        == "Use this and that, see docs (https://x.example/a).\n- one wrapped\n- two"
    )
