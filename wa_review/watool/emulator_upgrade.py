"""WA Tool emulator: UpgradeLensReview moves one workload's lens review to the latest version.

What it does follows what was observed against the real service by the public
awslabs/operational-readiness-review-custom-war-lens project (docs/gates.md): the upgrade milestone holds the answers from before; questions kept by id
keep their notes, IsApplicable and Reason; choice states are kept only for choice ids the new
version still has (so a kept question whose choice ids are all new loses its selections);
questions the new version retired disappear. Partially renamed choices and the refusal of an
upgrade that is not needed are the emulator's own stand-ins: the service documents neither.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from wa_review.watool.emulator_lens import CURRENT, Lens, upgraded_lens
from wa_review.watool.emulator_report import record_milestone
from wa_review.watool.emulator_store import (
    EmulatedError,
    Params,
    WaToolState,
    Workload,
    check_length,
    require,
)

NOT_CURRENT = "NOT_CURRENT"


def upgrade_lens_review(state: WaToolState, params: Params) -> dict[str, Any]:
    w = state.writable(params, "UpgradeLensReview")
    alias = state.lens_alias(params)
    lens = state.lens(w, alias)
    name = str(require(params, "MilestoneName"))
    check_length("MilestoneName", name, 3, 100)
    token = params.get("ClientRequestToken")
    check_length("ClientRequestToken", token, 1, 2048)
    if token and state.upgrade_tokens.get(str(token)) == (w.workload_id, alias, name):
        return {}  # a retry of an upgrade that completed: the original (empty) result
    if lens.status != NOT_CURRENT:
        raise EmulatedError(
            "ValidationException",
            f"The {alias} lens review on workload {w.workload_id} is {lens.status} "
            f"(version {lens.version}): there is nothing to upgrade.",
            Reason="OTHER",
        )
    record_milestone(state, w, name)  # ConflictException for a name in use: nothing changes
    target = state.latest.get(alias) or upgraded_lens(lens)
    _carry_answers_over(w, target)
    w.upgraded[alias] = replace(target, status=CURRENT)
    w.updated_at = time.time()
    if token:
        state.upgrade_tokens[str(token)] = (w.workload_id, alias, name)
    return {}  # the operation has no output shape


def _carry_answers_over(w: Workload, target: Lens) -> None:
    for key in [k for k in w.answers if k[0] == target.alias]:
        question = target.question(key[1])
        if question is None:  # retired: GetAnswer now says "No question with ID ..."
            del w.answers[key]
            continue
        answer = w.answers[key]
        kept = {c.choice_id for c in question.choices}
        answer.choices = {cid: state for cid, state in answer.choices.items() if cid in kept}
