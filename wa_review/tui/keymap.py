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
from textual.keys import Keys, _character_to_key  # Textual is pinned: its own key names

from wa_review.errors import InputFileError

ENV_VAR = "WA_REVIEW_KEYMAP"
# Modifiers a terminal reports reliably; at most two of them on one key.
_MODIFIERS = ("ctrl", "alt", "shift")
_PRINTABLE = [chr(code) for code in range(33, 127)]
# Textual's names of keys ("f5", "escape", "space") and of printable characters
# ("question_mark", "right_square_bracket"), and the characters themselves.
_KEY_NAMES = frozenset(
    {k.value for k in Keys if "+" not in k.value and not k.value.startswith("<")}
    | {_character_to_key(c) for c in _PRINTABLE}
    | set(_PRINTABLE)
)
KEY_HINT = (
    "Use Textual key names: y, ctrl+n, f5, escape, question_mark, right_square_bracket "
    f"(modifiers: {', '.join(_MODIFIERS)}, at most two)."
)


def key_problem(key: str) -> str | None:
    """Why `key` is not a key a terminal sends to wa-review, or None if it is one."""
    if key in _KEY_NAMES:
        return None
    *modifiers, base = key.split("+") if len(key) > 1 else [key]
    unknown = [m for m in modifiers if m not in _MODIFIERS]
    if unknown:
        return f"{'+'.join(unknown)!r} is not a modifier"
    if len(set(modifiers)) != len(modifiers) or len(modifiers) > 2:
        return "use each modifier once, at most two"
    if base not in _KEY_NAMES:
        return f"{base!r} is not a key name"
    return None


def default_keymap_path() -> Path:
    """$WA_REVIEW_KEYMAP, else keymap.yaml in the XDG config folder (~/.config/wa-review)."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "wa-review" / "keymap.yaml"


def _owners() -> tuple[type, ...]:
    """The app, then every screen and widget that has bindings a keymap can name."""
    from wa_review.tui.app import ReviewApp
    from wa_review.tui.screens.collection import CollectionScreen
    from wa_review.tui.screens.dialogs import Dialog
    from wa_review.tui.screens.overview import OverviewScreen
    from wa_review.tui.screens.practice import PracticeScreen
    from wa_review.tui.screens.start import StartScreen
    from wa_review.tui.screens.summary import SummaryScreen
    from wa_review.tui.widgets.evidence_filter_bar import EvidenceFilterBar

    return (
        ReviewApp,
        StartScreen,
        CollectionScreen,
        OverviewScreen,
        PracticeScreen,
        SummaryScreen,
        Dialog,
        EvidenceFilterBar,
    )


def binding_ids() -> dict[str, str]:
    """Every binding id the app has, with what it does (for errors and the docs)."""
    found: dict[str, str] = {}
    for owner in _owners():
        for binding in getattr(owner, "BINDINGS", ()):
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
        if not keys or not all(keys):
            raise InputFileError(f"{path}: {binding_id}: '' is not a key", hint=KEY_HINT)
        for key in keys:
            problem = key_problem(key)
            if problem is not None:
                raise InputFileError(
                    f"{path}: {binding_id}: {key!r} is not a key ({problem})", hint=KEY_HINT
                )
        keymap[str(binding_id)] = ",".join(keys)
    _refuse_conflicts(path, keymap)
    return keymap


def _refuse_conflicts(path: Path, keymap: dict[str, str]) -> None:
    """One key for two actions on the same screen leaves one of them without a key."""
    app, scopes = _binding_scopes()
    for scope, bindings in scopes.items():
        owner: dict[str, str] = {}  # key -> binding id, the app's first (a screen may override)
        for binding_id, keys in (*app, *bindings):
            mine = keymap.get(binding_id, keys)
            for key in (_same_key(k) for k in mine.split(",")):
                other = owner.get(key)
                if other is None or other == binding_id:
                    owner[key] = binding_id
                elif binding_id in keymap or other in keymap:
                    entry, clash = (
                        (binding_id, other) if binding_id in keymap else (other, binding_id)
                    )
                    raise InputFileError(
                        f"{path}: {entry}: {key!r} is also the key of {clash!r} on the "
                        f"{scope}; one of them would have no key",
                        hint=f"Give {entry!r} or {clash!r} another key in {path}.",
                    )


def _same_key(key: str) -> str:
    """'?' and 'question_mark' are one key."""
    key = key.strip()
    return _character_to_key(key) if len(key) == 1 else key


def _binding_scopes() -> tuple[list[tuple[str, str]], dict[str, list[tuple[str, str]]]]:
    """The app's (binding id, keys), and those of each screen or widget, which add to them."""
    app_cls, *owners = _owners()
    app = _ids_and_keys(app_cls)
    scopes = {_scope_name(owner): _ids_and_keys(owner) for owner in owners}
    return app, scopes


def _ids_and_keys(owner: type) -> list[tuple[str, str]]:
    return [
        (binding.id, binding.key)
        for binding in getattr(owner, "BINDINGS", ())
        if isinstance(binding, Binding) and binding.id
    ]


def _scope_name(owner: type) -> str:
    """PracticeScreen -> practice screen, EvidenceFilterBar -> evidence filter bar."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", owner.__name__).lower()
