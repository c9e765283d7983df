"""The reviewer's keymap file: checked before the app opens, then applied to every screen."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.tui.conftest import evidence_loaded, first_screen, wait_for
from wa_review.cli import main
from wa_review.errors import InputFileError
from wa_review.review.session import Decision
from wa_review.tui.app import make_app
from wa_review.tui.commands import key_help
from wa_review.tui.keymap import binding_ids, default_keymap_path, load_keymap
from wa_review.tui.screens.practice import PracticeScreen

A1 = "sec_sec_q2_a1"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "keymap.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_keymap_maps_binding_ids_to_one_or_several_keys(tmp_path: Path) -> None:
    path = write(tmp_path, "accept: y\nnext: [ctrl+n, ']']\nsearch: 'ctrl+f, slash'\n")
    assert load_keymap(path, required=True) == {
        "accept": "y",
        "next": "ctrl+n,]",
        "search": "ctrl+f,slash",
    }


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("acept: y\n", "'acept' is not a binding id"),
        ("accept: ctrl + y\n", "accept: 'ctrl + y' is not a key"),
        ("accept: ''\n", "accept: '' is not a key"),
        ("- accept\n", "a keymap is a YAML mapping"),
        ("accept: [y\n", "cannot read the keymap"),
        ("accept: notakey\n", "accept: 'notakey' is not a key ('notakey' is not a key name)"),
        (
            'accept: "ctrl+alt+shift+hyper+q"\n',
            "accept: 'ctrl+alt+shift+hyper+q' is not a key ('hyper' is not a modifier)",
        ),
        ("accept: ctrl+ctrl+q\n", "use each modifier once"),
        ("accept: ctrl+alt+shift+q\n", "at most two"),
        ("next: [y, notakey]\n", "next: 'notakey' is not a key"),
        (
            "accept: a\nselect: a\n",
            "select: 'a' is also the key of 'accept' on the practice screen",
        ),
        # A default key taken by another action: Select would be left with no key.
        ("accept: s\n", "accept: 's' is also the key of 'select' on the practice screen"),
        # The app's keys count on every screen; '?' and question_mark are one key.
        ("accept: '?'\n", "accept: 'question_mark' is also the key of 'help'"),
        ("cancel: b\n", "'b' is also the key of 'begin' on the collection screen"),
    ],
)
def test_a_bad_keymap_names_the_file_and_the_entry(tmp_path: Path, text: str, says: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(InputFileError) as raised:
        load_keymap(path, required=False)
    assert str(path) in raised.value.message and says in raised.value.message
    assert raised.value.hint


def test_keys_moved_out_of_the_way_and_modified_keys_are_fine(tmp_path: Path) -> None:
    # select takes accept's key, and accept moves away: no action is left without a key.
    path = write(tmp_path, "accept: y\nselect: a\nnotes: ctrl+shift+e\nsearch: f3\n")
    assert load_keymap(path, required=True) == {
        "accept": "y",
        "select": "a",
        "notes": "ctrl+shift+e",
        "search": "f3",
    }


def test_no_keymap_file_is_fine_unless_one_was_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WA_REVIEW_KEYMAP", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert default_keymap_path() == tmp_path / "wa-review" / "keymap.yaml"
    assert load_keymap(default_keymap_path(), required=False) == {}
    with pytest.raises(InputFileError, match="keymap file not found"):
        load_keymap(tmp_path / "missing.yaml", required=True)


def test_every_key_of_the_help_has_an_id_a_keymap_can_name() -> None:
    ids = binding_ids()
    for expected in ("accept", "select", "unselect", "n-a", "next", "summary", "collect", "quit"):
        assert expected in ids


def test_the_review_command_refuses_a_bad_keymap_before_opening_anything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "acept: y\n")
    with pytest.raises(SystemExit) as exited:
        main(["review", "--keymap", str(path), "--session", str(tmp_path / "s.review.yaml")])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert f"error: {path}: 'acept' is not a binding id" in err and "hint: Known ids:" in err
    assert not (tmp_path / "s.review.yaml").exists()


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("accept: notakey\n", "accept: 'notakey' is not a key"),
        ("accept: a\nselect: a\n", "select: 'a' is also the key of 'accept'"),
    ],
)
def test_a_wrong_key_or_a_conflict_stops_the_review_before_it_opens(
    tmp_path: Path, text: str, says: str
) -> None:
    path = write(tmp_path, text)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    done = subprocess.run(
        [sys.executable, "-m", "wa_review", "review", "--keymap", str(path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 2
    assert f"error: {path}: {says}" in done.stderr and "hint:" in done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keymap.yaml"]  # no session written


async def test_the_keymap_rebinds_a_practice_key_and_the_help_shows_it(review_dir: Path) -> None:
    app = make_app(evidence_path=review_dir / "evidence.json", keymap={"accept": "y"})
    async with app.run_test(size=(120, 40)) as pilot:
        await first_screen(app)
        app.show_practice(A1)
        await wait_for(lambda: isinstance(app.screen, PracticeScreen))
        await evidence_loaded(app)
        active = app.screen.active_bindings
        assert active["y"].binding.action == "accept"
        assert "a" not in active or active["a"].binding.action != "accept"
        assert app.require_review().session.choice(A1).decision is None
        await pilot.press("y")
        await wait_for(
            lambda: app.require_review().session.choice(A1).decision is Decision.UNSELECTED
        )
        shown = dict((what, keys) for keys, what in key_help(app))
        assert shown["Accept the suggestion"] == "y"
        await app.workers.wait_for_complete()


def test_the_readme_lists_every_binding_id() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("#### Your own keys", 1)[1].split("\n### ", 1)[0]
    listed = section.split("The ids:", 1)[1].split("A wrong id", 1)[0]
    words = {w for chunk in listed.split("`")[1::2] for w in chunk.split()}
    assert words == set(binding_ids())
