"""Where wa-review's own log goes: never the screen, which is for messages a reviewer can act on."""

from __future__ import annotations

import logging
import os

from wa_review.errors import UsageError

# Where the log goes (tracebacks of a failed check, a crashed collector). Unset: nowhere, since
# the screen is for messages a reviewer can act on and a dry run writes no file.
LOG_ENV = "WA_REVIEW_LOG"


def configure_logging() -> None:
    """Keep wa-review's log off the screen: into $WA_REVIEW_LOG if set, else dropped."""
    logger = logging.getLogger("wa_review")
    if logger.handlers:  # configured already (tests, a second call)
        return
    # A handler of our own, even one that drops everything, keeps Python's last-resort
    # handler from printing records (and their tracebacks) on stderr.
    path = os.environ.get(LOG_ENV)
    if not path:
        logger.addHandler(logging.NullHandler())
        return
    try:
        handler = logging.FileHandler(path, encoding="utf-8")
    except OSError as err:
        raise UsageError(
            f"Cannot write the log file {path}: {err.strerror or err}",
            hint=f"Point {LOG_ENV} at a file in a folder that exists, or unset it.",
        ) from err
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
