"""`python -m wa_review` runs the CLI."""

from __future__ import annotations

from wa_review.cli import main

main()
