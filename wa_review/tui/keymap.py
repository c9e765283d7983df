"""The reviewer's own keys: a YAML file mapping binding ids to keys, checked before the app opens.

    # ~/.config/wa-review/keymap.yaml
    accept: y            # one key
    next: "ctrl+n,]"     # several, comma-separated (or a YAML list)

Textual applies it to every screen (`App.set_keymap`); the ids are the `id=` of our bindings.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml
from textual.binding import Binding

from wa_review.errors import InputFileError

ENV_VAR = "WA_REVIEW_KEYMAP"
# A Textual key name ("y", "ctrl+n", "question_mark", "f5") or a single printable character.
_KEY = re.compile(r"^(?:[a-z0-9_]+(?:\+[a-z0-9_]+)*|[!-~])$")


def default_keymap_path() -> Path:
    """$WA_REVIEW_KEYMAP, else keymap.yaml in the XDG config folder (~/.config/wa-review)."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "wa-review" / "keymap.yaml"


def binding_ids() -> dict[str, str]:
    """Every binding id the app has, with what it does (for errors and the docs)."""
    from wa_review.tui.app import ReviewApp
    from wa_review.tui.screens.collection import CollectionScreen
    from wa_review.tui.screens.dialogs import Dialog
    from wa_review.tui.screens.overview import OverviewScreen
    from wa_review.tui.screens.practice import PracticeScreen
    from wa_review.tui.screens.start import StartScreen
    from wa_review.tui.screens.summary import SummaryScreen
    from wa_review.tui.widgets.evidence_filter_bar import EvidenceFilterBar

    owners = (
        ReviewApp,
        StartScreen,
        CollectionScreen,
        OverviewScreen,
        PracticeScreen,
        SummaryScreen,
        Dialog,
        EvidenceFilterBar,
    )
    found: dict[str, str] = {}
    for owner in owners:
        for binding in owner.BINDINGS:
            if isinstance(binding, Binding) and binding.id:
                found.setdefault(binding.id, binding.tooltip or binding.description)
    return found


def load_keymap(path: Path, *, required: bool) -> dict[str, str]:
    """The keymap in `path`; {} if it does not exist and was not asked for by name."""
    hint = f"Map binding ids to keys, e.g. 'accept: y'. See 'Your own keys' in the README ({path})."
    if not path.exists():
        if required:
            raise InputFileError(f"{path}: keymap file not found", hint=hint)
        return {}
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise InputFileError(f"{path}: cannot read the keymap: {err}", hint=hint) from err
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise InputFileError(
            f"{path}: a keymap is a YAML mapping of binding ids to keys", hint=hint
        )
    known = binding_ids()
    keymap: dict[str, str] = {}
    for binding_id, value in raw.items():
        if binding_id not in known:
            raise InputFileError(
                f"{path}: {binding_id!r} is not a binding id of wa-review",
                hint="Known ids: " + ", ".join(sorted(known)),
            )
        keys = value if isinstance(value, list) else str(value).split(",")
        keys = [str(k).strip() for k in keys]
        bad = [k for k in keys if not _KEY.match(k)]
        if not keys or bad:
            raise InputFileError(
                f"{path}: {binding_id}: {', '.join(map(repr, bad or keys))} is not a key",
                hint="Use Textual key names: y, ctrl+n, f5, question_mark, right_square_bracket.",
            )
        keymap[str(binding_id)] = ",".join(keys)
    return keymap
