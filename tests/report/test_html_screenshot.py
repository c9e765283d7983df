"""The HTML report as a person sees it: headless Chromium screenshots at a desktop and a phone
width, compared with committed reference images within a tolerance.

The fixture is small and fixed, so only the report's look can change the picture. Fonts and
anti-aliasing differ a little between runs; a pixel counts as different only when a channel
moves by more than CHANNEL_TOLERANCE, and the test fails when more than SHARE_TOLERANCE of the
pixels differ (a badge losing its colour, a table losing its layout, a chart disappearing).

After an intended change: UPDATE_GOLDEN=1 pytest tests/report/test_html_screenshot.py, then
look at the new images in tests/report/golden/screenshots/.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.report.conftest import stub_lookup
from tests.report.test_html_browser import console_messages, run_chromium
from wa_review.report import render
from wa_review.review.bundle import ReviewBundle

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).parent / "golden" / "screenshots"
CHANNEL_TOLERANCE = 48  # of 255
SHARE_TOLERANCE = 0.02  # of the pixels
WIDTHS = {"desktop": (1200, 1600), "phone": (390, 1400)}


def differing_share(actual: Path, expected: Path) -> float:
    """The share of pixels where some channel differs by more than CHANNEL_TOLERANCE."""
    from PIL import Image, ImageChops

    with Image.open(actual) as a, Image.open(expected) as b:
        if a.size != b.size:
            return 1.0
        red, green, blue = ImageChops.difference(a.convert("RGB"), b.convert("RGB")).split()
        worst = ImageChops.lighter(ImageChops.lighter(red, green), blue)
        over = sum(worst.histogram()[CHANNEL_TOLERANCE + 1 :])
        return over / (a.size[0] * a.size[1])


@pytest.fixture
def page(tmp_path: Path, bundle: ReviewBundle) -> Path:
    html = render(
        bundle.session, bundle.questionnaire, bundle.evidence_file, fmt="html", lookup=stub_lookup
    )
    path = tmp_path / "report.html"
    path.write_text(html, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", list(WIDTHS))
def test_report_looks_as_it_did(page: Path, tmp_path: Path, name: str) -> None:
    width, height = WIDTHS[name]
    shot = tmp_path / f"{name}.png"
    _, err = run_chromium(
        tmp_path,
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        f"--window-size={width},{height}",
        f"--screenshot={shot}",
        page.as_uri(),
    )
    assert console_messages(err) == []
    reference = SHOTS / f"{name}.png"
    if os.environ.get("UPDATE_GOLDEN"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        reference.write_bytes(shot.read_bytes())
    share = differing_share(shot, reference)
    assert share <= SHARE_TOLERANCE, (
        f"{name}: {share:.1%} of the pixels differ from {reference.name}; see the module docstring"
    )


def test_the_comparison_catches_a_changed_page(page: Path, tmp_path: Path) -> None:
    """Control: the same report without its stylesheet must not pass as the reference."""
    bare = tmp_path / "bare.html"
    text = page.read_text(encoding="utf-8")
    start, end = text.index("<style>"), text.index("</style>") + len("</style>")
    bare.write_text(text[:start] + text[end:], encoding="utf-8")
    width, height = WIDTHS["desktop"]
    shot = tmp_path / "bare.png"
    run_chromium(
        tmp_path,
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        f"--window-size={width},{height}",
        f"--screenshot={shot}",
        bare.as_uri(),
    )
    assert differing_share(shot, SHOTS / "desktop.png") > SHARE_TOLERANCE
