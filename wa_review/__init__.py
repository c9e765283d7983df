"""wa-review: an evidence-backed Well-Architected review of serverless security boundaries."""

from __future__ import annotations

__version__ = "0.1.0"
