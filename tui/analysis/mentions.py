"""From spaCy's entity spans to clean mentions of the contract's types.

A spaCy span often carries what a reader does not see as part of the name: "the",
a possessive "’s", a trailing full stop. Trimming moves ``start``/``end`` with the
text, so ``article.text[start:end] == mention.text`` stays true.
"""

from __future__ import annotations

import bisect
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
    if surface.lower() in _NOT_NAMES and not (surface.isupper() and len(surface) > 1):  # "US" is not "us"
        return False
    # Names start with a capital (or a digit: "3M"); "n’t" and "the deal" are not names.
    first = surface[0]
    return first.isupper() or first.isdigit()


# Words that only ever stand before a person's name (a pattern, for the quotes too).
HONORIFICS = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Dame)"
HONORIFIC_BEFORE = re.compile(rf"\b{HONORIFICS}\.?\s+$")
_HONORIFIC_LEAD = re.compile(rf"^{HONORIFICS}\.?\s+(?=\w)")


def people_completed(text: str, mentions: list[RawMention]) -> list[RawMention]:
    """The model's mentions with the people it missed in this text: a name after "Mr",
    "Mrs", "Dr", "Sir" … is a person whatever the model said; and every other capitalised
    occurrence of a person's name, or of the surname of a person named in full, is a
    mention of them (the model tags a name in one sentence and not in the next). A
    surname that opens a sentence and is also written in lower case here ("Brown", "Young")
    is left alone."""
    people: list[RawMention] = []
    for m in mentions:
        if m.type in NAMED_TYPES and m.type != "person" and (
            HONORIFIC_BEFORE.search(text, max(0, m.start - 6), m.start) or _HONORIFIC_LEAD.match(m.text)
        ):
            m = RawMention(m.text, m.start, m.end, "person")
        people.append(m)
    forms: set[str] = set()
    for m in people:
        if m.type == "person":
            name = _HONORIFIC_LEAD.sub("", m.text)
            words = name.split()
            if words and all(w[:1].isupper() for w in words):
                forms.add(name)
                if len(words) > 1 and len(words[-1]) > 2 and words[-1][-1] != ".":
                    forms.add(words[-1])
    # "Sir Digby" for Digby Jones: the first name after a knight's or dame's title
    firsts = {n.split()[0] for n in forms if " " in n and n.split()[0][:1].isupper()}
    if not forms:
        return people
    taken = sorted((m.start, m.end) for m in people)
    added: list[RawMention] = []
    lower_words = set(re.findall(r"[^\W\d_]+", text)) if any(" " not in f for f in forms) else set()
    # One pass over the text for every form, the longest first where two start together.
    pattern = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    for match in re.finditer(rf"(?<![\w-])(?:{pattern})(?![\w’'-])", text):
        start, end = match.span()
        form = match.group()
        if " " not in form and form.lower() in lower_words and _opens_sentence(text, start):
            continue
        if _claimed(taken, start, end):
            added.append(RawMention(form, start, end, "person"))
    for first in firsts:
        for match in re.finditer(rf"\b(?:Sir|Dame)\s+({re.escape(first)})(?![\w-])(?!\s+[A-Z])", text):
            if _claimed(taken, *match.span(1)):
                added.append(RawMention(first, *match.span(1), "person"))
    return sorted(people + added, key=lambda m: (m.start, m.end)) if added else people


def _claimed(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``start:end`` overlaps none of the sorted spans ``taken`` (then it joins them)."""
    i = bisect.bisect_left(taken, (start, end))
    if any(s < end and start < e for s, e in taken[max(0, i - 1) : i + 1]):
        return False
    taken.insert(i, (start, end))
    return True


def _opens_sentence(text: str, start: int) -> bool:
    before = text[max(0, start - 3) : start]
    return start == 0 or not before.strip() and "\n" in before or re.search(r"[.!?:\"“”]\s+$", before) is not None


_INNER_HONORIFIC = re.compile(rf"\s{HONORIFICS}\.?\s+(?=[A-Z])")
_ADJECTIVE_USE = re.compile(r" [^\W\d_]")


def as_a_reader_names_them(text: str, mentions: list[RawMention]) -> list[RawMention]:
    """Mentions cut and kept as a reader reads them: a span the model ran on into a
    person ("Foreign Policy Centre Mr Straw") is cut at the honorific, the person after
    it a mention of its own; a nationality or group word used as an adjective ("British
    business", "a French company") is not a mention of a group, its noun use ("the
    British", "Haitians") is."""
    kept: list[RawMention] = []
    for m in mentions:
        inner = _INNER_HONORIFIC.search(m.text) if m.type in NAMED_TYPES else None
        if inner is not None:
            head = m.text[: inner.start()]
            kept.append(RawMention(head, m.start, m.start + len(head), m.type))
            person = m.text[inner.end():]
            kept.append(RawMention(person, m.end - len(person), m.end, "person"))
            continue
        if m.type == "group" and not m.text.endswith("s") and _ADJECTIVE_USE.match(text, m.end):
            continue
        kept.append(m)
    return kept
