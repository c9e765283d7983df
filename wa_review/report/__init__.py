"""Reports: Markdown first; HTML is the same Markdown rendered safely; JSON and custom lens too."""

from __future__ import annotations

from wa_review.report.lens import lens_problems, to_custom_lens
from wa_review.report.markdown import Trusted, md_escape, md_to_html
from wa_review.report.render import ReportFormat, interchange, render

__all__ = [
    "ReportFormat",
    "Trusted",
    "interchange",
    "lens_problems",
    "md_escape",
    "md_to_html",
    "render",
    "to_custom_lens",
]
