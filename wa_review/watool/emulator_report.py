"""WA Tool emulator: milestones (unique names, snapshots of the answers) and the report PDF."""

from __future__ import annotations

import base64
import copy
import time
from typing import Any

from wa_review.watool.emulator_answers import risk_of, selected_ids
from wa_review.watool.emulator_store import (
    MILESTONES_MAX,
    EmulatedError,
    Milestone,
    Params,
    WaToolState,
    Workload,
    check_length,
    page,
    require,
)


def create_milestone(state: WaToolState, params: Params) -> dict[str, Any]:
    w = state.writable(params, "CreateMilestone")
    name = str(require(params, "MilestoneName"))
    check_length("MilestoneName", name, 3, 100)
    token = str(params.get("ClientRequestToken") or "")
    known = state.milestone_tokens.get(token) if token else None
    if known is not None and known[0] == w.workload_id:
        # A retried request: AWS returns the original result for the same token.
        return {"WorkloadId": w.workload_id, "MilestoneNumber": known[1]}
    milestone = record_milestone(state, w, name)
    if token:
        state.milestone_tokens[token] = (w.workload_id, milestone.number)
    return {"WorkloadId": w.workload_id, "MilestoneNumber": milestone.number}


def record_milestone(state: WaToolState, w: Workload, name: str) -> Milestone:
    """Snapshot the answers (and the lens version of each review) under a unique name."""
    if any(m.name == name for m in w.milestones):
        raise EmulatedError(
            "ConflictException",
            f"A milestone named {name!r} already exists for this workload.",
            ResourceId=w.workload_id,
            ResourceType="MILESTONE",
        )
    if len(w.milestones) >= MILESTONES_MAX:
        raise EmulatedError(
            "ServiceQuotaExceededException",
            "Milestones per workload quota reached.",
            QuotaCode="L-CA783EAE",
            ServiceCode="wellarchitected",
        )
    milestone = Milestone(
        len(w.milestones) + 1,
        name,
        time.time(),
        copy.deepcopy(w.answers),
        state.review_lenses(w),
    )
    w.milestones.append(milestone)
    return milestone


def list_milestones(state: WaToolState, params: Params) -> dict[str, Any]:
    w = state.workload(params)
    items = [
        {"MilestoneNumber": m.number, "MilestoneName": m.name, "RecordedAt": m.recorded_at}
        for m in w.milestones
    ]
    chunk, token = page(items, params)
    out: dict[str, Any] = {"WorkloadId": w.workload_id, "MilestoneSummaries": chunk}
    return {**out, **({"NextToken": token} if token else {})}


def get_lens_review_report(state: WaToolState, params: Params) -> dict[str, Any]:
    w = state.workload(params)
    lens = state.lens_at(w, state.lens_alias(params), params)
    answers = state.answers_at(w, params)
    number = params.get("MilestoneNumber")
    lines = [
        "AWS Well-Architected Tool - lens review report (emulated)",
        f"Workload: {w.name} ({w.workload_id})",
        f"Lens: {lens.name} ({lens.alias}) version {lens.version}",
        f"Milestone: {number}" if number is not None else "Milestone: current state",
    ]
    for question in lens.questions:
        answer = answers.get((lens.alias, question.question_id))
        selected = ", ".join(selected_ids(question, answer)) or "-"
        lines.append(f"{question.question_id} [{risk_of(question, answer)}] {question.title}")
        lines.append(f"    selected: {selected}")
    report = {
        "LensAlias": lens.alias,
        "LensArn": lens.arn(state.region),
        "Base64String": base64.b64encode(minimal_pdf(lines)).decode("ascii"),
    }
    out: dict[str, Any] = {"WorkloadId": w.workload_id, "LensReviewReport": report}
    return {**out, **({"MilestoneNumber": number} if number is not None else {})}


def minimal_pdf(lines: list[str]) -> bytes:
    """A one-page PDF 1.4 with the given lines in Helvetica (Latin-1; others become '?')."""

    def escape(text: str) -> str:
        text = text.replace("’", "'").encode("latin-1", "replace").decode("latin-1")
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text_ops = ["BT", "/F1 9 Tf", "40 800 Td", "12 TL"]
    text_ops += [f"({escape(line)}) Tj T*" for line in lines[:60]]
    text_ops.append("ET")
    stream = "\n".join(text_ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
