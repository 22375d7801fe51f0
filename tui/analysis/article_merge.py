"""One entity per thing within an article, as a reader counts them.

The corpus-wide resolution decides what a name stands for across the pile; inside one
article a shorter name next to a longer one is, to a reader, the same thing: "the
Commission" after "the European Commission", "Labour" beside "the Labour Party",
"Manuel Barroso" beside "José Manuel Barroso", "Digby" (as in "Sir Digby") beside
"Digby Jones". A name is merged only when exactly one longer name of its type fits.
"""

from __future__ import annotations

from tui.analysis.model import Entity

# The generic last word of an organisation's full name ("Labour" → "Labour Party").
_HEADS = frozenset({"Party", "Corporation", "Corp", "Group", "Company", "Inc", "plc", "Ltd", "Council",
                    "Committee", "Union", "Association", "Foundation", "Institute"})


def merged_in_article(entities: list[Entity]) -> tuple[list[Entity], dict[str, str]]:
    """The entities with each shorter name folded into the longer one it stands for, and
    the names so replaced (for the quotes' speakers)."""
    into: dict[int, Entity] = {}
    for kind in ("person", "organization"):
        named = [e for e in entities if e.type == kind]
        for entity in named:
            words = entity.name.split()
            fits = [other for other in named if other is not entity and len(other.name.split()) > len(words)
                    and _stands_for(words, other.name.split(), kind)]
            if len(fits) == 1:
                into[id(entity)] = fits[0]
    if not into:
        return entities, {}
    renamed: dict[str, str] = {}
    kept: list[Entity] = []
    gathered: dict[int, list] = {}
    for entity in entities:
        target = entity
        while id(target) in into:
            target = into[id(target)]
        if target is not entity:
            renamed[entity.name] = target.name
            gathered.setdefault(id(target), []).extend(entity.mentions)
    for entity in entities:
        if id(entity) in into:
            continue
        extra = gathered.get(id(entity))
        kept.append(Entity(entity.name, entity.type, sorted(entity.mentions + extra, key=lambda m: m.start))
                    if extra else entity)
    kept.sort(key=lambda e: (-len(e.mentions), e.mentions[0].start))
    return kept, renamed


def _stands_for(short: list[str], long: list[str], kind: str) -> bool:
    if long[-len(short):] == short:  # "Commission" / "European Commission", "Manuel Barroso"
        return True
    if kind == "organization":
        return long[:-1] == short and long[-1] in _HEADS
    return len(short) == 1 and long[0] == short[0]  # "Digby" / "Digby Jones"
