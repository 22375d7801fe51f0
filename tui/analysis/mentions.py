"""From spaCy's entity spans to clean mentions of the contract's types.

A spaCy span often carries what a reader does not see as part of the name: "the",
a possessive "’s", a trailing full stop. Trimming moves ``start``/``end`` with the
text, so ``article.text[start:end] == mention.text`` stays true.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# spaCy (OntoNotes) labels to the contract's types; the rest (CARDINAL, ORDINAL,
# QUANTITY, TIME, PRODUCT, WORK_OF_ART, LANGUAGE) are not shown to readers.
LABEL_TYPES = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
    "LAW": "law",
    "EVENT": "event",
    "DATE": "date",
    "MONEY": "money",
    "PERCENT": "percent",
}
# Types named by proper nouns; their mentions must look like names.
NAMED_TYPES = frozenset({"person", "organization", "place", "group", "law", "event"})

_LEADING = re.compile(r"^(?:(?:the|The|THE)\s+|[\s\"“”‘’'(\[{<«\-–—,;:.]+)+")
_TRAILING = re.compile(r"(?:['’]s?|[\s\"“”‘’'()\[\]{}<>«»\-–—,;:.!?]+)+$")
_NAME_WORD = re.compile(r"[^\W\d_]", re.UNICODE)
_NOT_NAMES = frozenset(
    "i me he him his she her it its we us our they them their you your this that these those "
    "mr mrs ms dr sir president minister secretary senator chairman ceo".split()
)


@dataclass(frozen=True, slots=True)
class RawMention:
    text: str
    start: int
    end: int
    type: str


def mention_from_span(text: str, start: int, end: int, label: str) -> RawMention | None:
    """A clean mention for a spaCy span, or None if it is not worth showing."""
    entity_type = LABEL_TYPES.get(label)
    if entity_type is None:
        return None
    surface = text[start:end]
    if entity_type in NAMED_TYPES:
        lead = _LEADING.match(surface)
        if lead:
            start += lead.end()
        trail = _TRAILING.search(text[start:end])
        if trail:
            end = start + trail.start() if trail.start() > 0 else start
        # keep the full stop of an abbreviation such as "U.S." or "Inc."
        if end < len(text) and text[end] == "." and re.search(r"(?:\b[A-Z]\.[A-Z]|\bInc|\bCo|\bCorp|\bLtd|\bJr|\bSr)$", text[start:end]):
            end += 1
    else:
        stripped = surface.strip()
        start += len(surface) - len(surface.lstrip())
        end = start + len(stripped)
    surface = text[start:end]
    if not _is_name_like(surface, entity_type):
        return None
    return RawMention(surface, start, end, entity_type)


def _is_name_like(surface: str, entity_type: str) -> bool:
    if not surface.strip() or "\n" in surface:
        return False
    if entity_type not in NAMED_TYPES:
        return any(ch.isalnum() for ch in surface)
    if not _NAME_WORD.search(surface) or len(surface) < 2:
        return False
    if surface.lower() in _NOT_NAMES:
        return False
    # Names start with a capital (or a digit: "3M"); "n’t" and "the deal" are not names.
    first = surface[0]
    return first.isupper() or first.isdigit()
