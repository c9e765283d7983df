"""Shared pieces: the shipped SEC2 YAML as data, and a writer for broken variants of it."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from wa_review.questionnaires import BUILTIN_DIR

SEC2_PATH = BUILTIN_DIR / "serverless" / "sec_q2.yaml"


def sec2_data() -> dict[str, Any]:
    data = yaml.safe_load(SEC2_PATH.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def sec2_checks() -> frozenset[str]:
    return frozenset(c for choice in sec2_data()["choices"] for c in choice.get("checks", []))


WriteYaml = Callable[[dict[str, Any]], Path]


@pytest.fixture
def data() -> dict[str, Any]:
    """A fresh, mutable copy of the shipped questionnaire."""
    return copy.deepcopy(sec2_data())


@pytest.fixture
def write_yaml(tmp_path: Path) -> WriteYaml:
    def write(content: dict[str, Any]) -> Path:
        path = tmp_path / "sec_q2.yaml"
        path.write_text(yaml.safe_dump(content, sort_keys=False), encoding="utf-8")
        return path

    return write


@pytest.fixture
def checks() -> frozenset[str]:
    return sec2_checks()
