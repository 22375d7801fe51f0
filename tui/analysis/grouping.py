"""Mentions to entities within one article: one entity per name, typed by evidence.

First version of canonicalisation (corpus-wide resolution and a user aliases file
build on this): a surname alone joins the one full person name that ends with it
("Lighthizer" -> "Robert Lighthizer", even where the model said ORG), and an
entity's type is the one most of its mentions were given.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from tui.analysis.mentions import NAMED_TYPES, RawMention, fold
from tui.analysis.model import ENTITY_TYPES, Entity, Mention

_TYPE_RANK = {t: i for i, t in enumerate(ENTITY_TYPES)}


def group_mentions(mentions: list[RawMention]) -> list[Entity]:
    """Entities sorted by mention count (most first), then first appearance."""
    full_names = _person_full_names(mentions)
    groups: dict[str, list[RawMention]] = defaultdict(list)
    for mention in mentions:
        key = fold(mention.text)
        if mention.type in NAMED_TYPES and key in full_names:
            key = full_names[key]
        groups[(key if mention.type in NAMED_TYPES else f"{mention.type}:{key}")].append(mention)

    entities = []
    for members in groups.values():
        entity_type = _vote_type(members)
        name = _display_name(members, entity_type)
        entity = Entity(name, entity_type, [Mention(m.text, m.start, m.end) for m in sorted(members, key=lambda m: m.start)])
        entities.append(entity)
    entities.sort(key=lambda e: (-len(e.mentions), e.mentions[0].start))
    return entities


def _person_full_names(mentions: list[RawMention]) -> dict[str, str]:
    """Folded surname -> folded full name, for surnames that name one person only."""
    by_surname: dict[str, set[str]] = defaultdict(set)
    for mention in mentions:
        words = mention.text.split()
        if mention.type == "person" and len(words) >= 2:
            by_surname[fold(words[-1])].add(fold(mention.text))
    return {surname: next(iter(names)) for surname, names in by_surname.items() if len(names) == 1}


def _vote_type(members: list[RawMention]) -> str:
    votes = Counter(m.type for m in members)
    # A multi-word person mention is strong evidence (a surname alone is often mistyped).
    if any(m.type == "person" and len(m.text.split()) >= 2 for m in members):
        return "person"
    return max(votes, key=lambda t: (votes[t], -_TYPE_RANK[t]))


def _display_name(members: list[RawMention], entity_type: str) -> str:
    """The longest form given the winning type, most frequent among equals."""
    typed = [m.text for m in members if m.type == entity_type] or [m.text for m in members]
    counts = Counter(" ".join(t.split()) for t in typed)
    return max(counts, key=lambda t: (len(t.split()), counts[t], t))
