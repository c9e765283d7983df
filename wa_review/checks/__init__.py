"""Checks: pure functions from snapshots to evidence. Importing `all_checks()` registers them."""

from __future__ import annotations

from wa_review.checks.support.registry import (
    CheckMeta,
    RegisteredCheck,
    all_checks,
    check,
    check_ids,
    get_check,
)

__all__ = ["CheckMeta", "RegisteredCheck", "all_checks", "check", "check_ids", "get_check"]
