"""Find our question and choices in the live lens: by id first, then by title, never by position."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from wa_review.errors import WaToolError
from wa_review.watool.client import FreshRetry, WaClient, call
from wa_review.watool.payload import AnswerPayload

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "`": "'"})
_SHOWN = 12  # how many live questions an error lists


class MatchedBy(StrEnum):
    ID = "id"
    TITLE = "title"
    UNCHECKED = "unchecked"  # dry run against a lens that is not associated yet


def normalise_title(title: str) -> str:
    """Titles compared loosely: Unicode forms, typographic quotes, case and spacing ignored."""
    text = unicodedata.normalize("NFKC", title).translate(_QUOTES)
    return " ".join(text.split()).casefold()


NONE_OF_THESE = "none of these"


def is_none_of_these(choice_id: str, title: str) -> bool:
    """ "None of these", known by its title as the lens shows it; the `_no` id suffix (the
    custom-lens format's convention, which AWS's lenses follow) only as a fallback."""
    return normalise_title(title) == NONE_OF_THESE or choice_id.endswith("_no")


@dataclass(frozen=True, slots=True)
class LiveChoice:
    choice_id: str
    title: str

    @property
    def none_of_these(self) -> bool:
        return is_none_of_these(self.choice_id, self.title)


@dataclass(frozen=True, slots=True)
class ChoiceMapping:
    review_choice_id: str
    live: LiveChoice
    matched_by: MatchedBy


@dataclass(frozen=True, slots=True)
class QuestionMatch:
    """Our question as the live lens has it, and where each of our choices went."""

    question_id: str
    title: str
    matched_by: MatchedBy
    choices: tuple[ChoiceMapping, ...]
    live_choices: tuple[LiveChoice, ...]
    warnings: tuple[str, ...] = ()

    @property
    def none_ids(self) -> frozenset[str]:
        """The live "None of these" choice(s), recognised from the lens."""
        return frozenset(c.choice_id for c in self.live_choices if c.none_of_these)

    def live_id(self, review_choice_id: str) -> str:
        return next(
            m.live.choice_id for m in self.choices if m.review_choice_id == review_choice_id
        )


def list_answer_summaries(
    client: WaClient, workload_id: str, lens_alias: str, pillar_id: str, *, fresh: FreshRetry | None
) -> list[dict[str, Any]]:
    """Every AnswerSummary of one pillar (pages of at most 50; no boto3 paginator exists)."""
    params: dict[str, Any] = {
        "WorkloadId": workload_id,
        "LensAlias": lens_alias,
        "PillarId": pillar_id,
        "MaxResults": 50,
    }
    summaries: list[dict[str, Any]] = []
    while True:
        page = call(client, "ListAnswers", fresh=fresh, **params)
        summaries.extend(page.get("AnswerSummaries", []))
        token = page.get("NextToken")
        if not token:
            return summaries
        params["NextToken"] = token


def _describe(items: Sequence[tuple[str, str]], limit: int = _SHOWN) -> str:
    shown = [f"{item_id} {title!r}" for item_id, title in items[:limit]]
    if len(items) > limit:
        shown.append(f"and {len(items) - limit} more")
    return "; ".join(shown) or "nothing"


def _find_question(
    summaries: Sequence[dict[str, Any]], payload: AnswerPayload, where: str
) -> tuple[dict[str, Any], MatchedBy]:
    for summary in summaries:
        if summary.get("QuestionId") == payload.question_id:
            return summary, MatchedBy.ID
    wanted = {normalise_title(t) for t in (payload.question_title, *payload.aws_titles) if t}
    by_title = [s for s in summaries if normalise_title(str(s.get("QuestionTitle", ""))) in wanted]
    if len(by_title) == 1:
        return by_title[0], MatchedBy.TITLE
    found = [(str(s.get("QuestionId")), str(s.get("QuestionTitle"))) for s in summaries]
    raise WaToolError(
        f"Expected question {payload.question_id} {payload.question_title!r} in {where}; "
        f"found {_describe(found)}.",
        hint="The lens has changed beyond what wa-review can map. Update wa-review, or answer "
        "the question in the WA Tool console.",
    )


def match_question(
    summaries: Sequence[dict[str, Any]], payload: AnswerPayload, *, lens_version: str = ""
) -> QuestionMatch:
    """Map the payload's question and every choice onto the live lens, or explain the drift."""
    version = f" version {lens_version}" if lens_version else ""
    where = f"pillar {payload.pillar_id} of lens {payload.lens_alias}{version}"
    summary, question_by = _find_question(summaries, payload, where)
    question_id = str(summary["QuestionId"])
    live = tuple(
        LiveChoice(str(c["ChoiceId"]), str(c.get("Title", ""))) for c in summary["Choices"]
    )
    warnings = []
    if question_by is MatchedBy.TITLE:
        warnings.append(
            f"Question {payload.question_id} is {question_id} in this lens version (matched by title)."
        )
    by_id = {c.choice_id: c for c in live}
    mapped: list[ChoiceMapping] = []
    used: set[str] = set()
    for choice in payload.choices:
        hit = by_id.get(choice.choice_id)
        if hit is not None:
            mapped.append(ChoiceMapping(choice.choice_id, hit, MatchedBy.ID))
            used.add(hit.choice_id)
            known = {normalise_title(t) for t in (choice.title, *choice.aws_titles) if t}
            if known and normalise_title(hit.title) not in known:
                warnings.append(
                    f"Choice {hit.choice_id} is titled {hit.title!r} in the WA Tool and "
                    f"{choice.title!r} in the review (matched by id)."
                )
    unmatched = []
    for choice in payload.choices:
        if any(m.review_choice_id == choice.choice_id for m in mapped):
            continue
        titles = {normalise_title(t) for t in (choice.title, *choice.aws_titles) if t}
        hits = [c for c in live if c.choice_id not in used and normalise_title(c.title) in titles]
        if len(hits) == 1:
            mapped.append(ChoiceMapping(choice.choice_id, hits[0], MatchedBy.TITLE))
            used.add(hits[0].choice_id)
            warnings.append(
                f"Choice {choice.choice_id} is {hits[0].choice_id} in this lens version "
                "(matched by title)."
            )
        else:
            unmatched.append(choice)
    if unmatched:
        expected = [(c.choice_id, c.title) for c in payload.choices]
        missing = ", ".join(c.choice_id for c in unmatched)
        raise WaToolError(
            f"Expected choices {_describe(expected)} in question {question_id} of {where}; "
            f"found {_describe([(c.choice_id, c.title) for c in live])}. "
            f"No match by id or title for: {missing}.",
            hint="The lens has changed beyond what wa-review can map. Update wa-review, or answer "
            "the question in the WA Tool console.",
        )
    order = {c.choice_id: i for i, c in enumerate(live)}
    mapped.sort(key=lambda m: order[m.live.choice_id])
    return QuestionMatch(
        question_id=question_id,
        title=str(summary.get("QuestionTitle", "")),
        matched_by=question_by,
        choices=tuple(mapped),
        live_choices=live,
        warnings=tuple(warnings),
    )


def unchecked_match(payload: AnswerPayload) -> QuestionMatch:
    """The payload's own ids, for a dry run that cannot read the lens yet."""
    live = tuple(LiveChoice(c.choice_id, c.title) for c in payload.choices)
    return QuestionMatch(
        question_id=payload.question_id,
        title=payload.question_title,
        matched_by=MatchedBy.UNCHECKED,
        choices=tuple(ChoiceMapping(c.choice_id, c, MatchedBy.UNCHECKED) for c in live),
        live_choices=live,
        warnings=(
            f"The {payload.lens_alias} lens is not on this workload yet, so question and choice "
            "ids were not checked against the WA Tool.",
        ),
    )
