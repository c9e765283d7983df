"""The HTML report in headless Chromium: no console errors, names from AWS shown as text.

Needs Debian's `chromium` package. In CI (CI is set) a missing browser fails the test; on a
workstation it is skipped.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.report.conftest import stub_lookup
from wa_review.report import render
from wa_review.review.bundle import ReviewBundle

pytestmark = pytest.mark.browser

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
]


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed: the CI setup must `apt-get install -y chromium`")
    pytest.skip("chromium is not installed (apt-get install chromium)")


def run_chromium(tmp_path: Path, *args: str) -> tuple[str, str]:
    """Run Chromium in its own process group; on a hang, stop exactly that group."""
    profile = tmp_path / "profile"
    command = [chromium(), *FLAGS, f"--user-data-dir={profile}", *args]
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        out, err = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    assert proc.returncode == 0, err[-2000:]
    return out, err


def console_messages(stderr: str) -> list[str]:
    # Chromium logs every console message and CSP violation as "...:CONSOLE(line)] ...".
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


class _Dom(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.hrefs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.hrefs += [value or "" for name, value in attrs if name in ("href", "src")]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_console_detection_works(tmp_path: Path) -> None:
    """Control: a page that logs must be caught, or the real test would prove nothing."""
    page = tmp_path / "noisy.html"
    page.write_text(
        "<!DOCTYPE html><p>x</p><script>console.error('noisy')</script>", encoding="utf-8"
    )
    _, err = run_chromium(tmp_path, "--dump-dom", page.as_uri())
    assert any("noisy" in line for line in console_messages(err))


def test_report_renders_cleanly_and_shows_names_as_text(
    bundle: ReviewBundle, tmp_path: Path
) -> None:
    html = render(
        bundle.session, bundle.questionnaire, bundle.evidence_file, fmt="html", lookup=stub_lookup
    )
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    dom_text, err = run_chromium(tmp_path, "--dump-dom", page.as_uri())
    assert console_messages(err) == []

    dom = _Dom()
    dom.feed(dom_text)
    assert "script" not in dom.tags and "img" not in dom.tags and "iframe" not in dom.tags
    assert "table" in dom.tags and "h2" in dom.tags
    # Links go to AWS documentation, or to a section of the report itself (its contents).
    assert all(h.startswith(("https://", "#s")) for h in dom.hrefs), dom.hrefs
    assert any(h.startswith("#s") for h in dom.hrefs)
    text = "".join(dom.text)
    assert "function:<script>alert(1)</script>" in text  # shown as text, not run
    assert "function:[bold]x[/]" in text
    assert "arn:aws:s3:::![img](http://x)" in text
    assert "[link](javascript:alert(1))" in text


def test_report_prints(bundle: ReviewBundle, tmp_path: Path) -> None:
    html = render(
        bundle.session, bundle.questionnaire, bundle.evidence_file, fmt="html", lookup=stub_lookup
    )
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    _, err = run_chromium(
        tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()
    )
    assert console_messages(err) == []
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 10_000
