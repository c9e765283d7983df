"""wa-review's own text inside the WA Tool's notes: a marked block that a re-push replaces.

Whatever a person typed in the console outside the block stays, word for word: it is never cut
and never moved into the block. Only our own text is shortened when both do not fit.
"""

from __future__ import annotations

from dataclasses import dataclass

from wa_review.watool.payload import CHOICE_NOTES_MARKER, QUESTION_NOTES_MARKER, fit_notes


@dataclass(frozen=True, slots=True)
class Block:
    begin: str
    end: str
    separator: str
    cut_marker: str


# Question notes (up to 2084 characters) and choice notes (up to 250): shorter marks for those.
QUESTION_BLOCK = Block(
    "--- wa-review (replaced by every push; write your own notes outside these lines) ---",
    "--- end of wa-review ---",
    "\n",
    QUESTION_NOTES_MARKER,
)
CHOICE_BLOCK = Block("[wa-review]", "[/wa-review]", " ", CHOICE_NOTES_MARKER)


@dataclass(frozen=True, slots=True)
class MergedNotes:
    text: str  # what the WA Tool will hold
    kept: str  # the person's own text, outside our block ("" when none)
    ours_dropped: bool  # the person's text leaves no room for ours: ours is left out


def outside_block(notes: str, block: Block) -> str:
    """The text outside our block (every block, should someone have copied one)."""
    rest = notes
    while True:
        start = rest.find(block.begin)
        if start < 0:
            return rest.strip()
        end = rest.find(block.end, start)
        if end < 0:  # a block whose end was deleted by hand: keep the text, it is theirs now
            return rest.strip()
        rest = rest[:start].rstrip() + block.separator + rest[end + len(block.end) :].lstrip()
        rest = rest.strip()


def merge_notes(current: str, ours: str, limit: int, block: Block) -> MergedNotes:
    """The notes after a push: the person's text as it is, then our block with `ours`."""
    kept = outside_block(current, block)
    if not ours.strip():
        return MergedNotes(kept, kept, False)
    head = (
        f"{kept}{block.separator}{block.separator}"
        if kept and block.separator == "\n"
        else (f"{kept}{block.separator}" if kept else "")
    )
    frame = len(head) + len(block.begin) + len(block.end) + 2 * len(block.separator)
    room = limit - frame
    if room < 20:  # too little left for anything useful of ours: the person's text wins
        return MergedNotes(kept, kept, True)
    text = fit_notes(ours.strip(), room, marker=block.cut_marker)
    merged = f"{head}{block.begin}{block.separator}{text}{block.separator}{block.end}"
    return MergedNotes(merged, kept, False)
