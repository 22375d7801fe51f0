"""Entity rules from data: aliases, titles, and forms that are never entities.

Read from the defaults shipped in ``data/aliases.toml``, then the user's
``aliases.toml`` (config folder), then the corpus folder's; later files add to and
override earlier ones. Nothing here names a person or an organisation in code.
"""

from __future__ import annotations

import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from tui.analysis.model import ENTITY_TYPES
from tui.corpus.decode import clean_text

DEFAULTS = Path(__file__).parent / "data" / "aliases.toml"
FILE_NAME = "aliases.toml"
NAMED = ("person", "organization", "place", "group", "law", "event")


class RulesError(ValueError):
    """An aliases file that cannot be used; the message names the file and the problem."""


@lru_cache(maxsize=1 << 18)  # called for every mention; far fewer distinct names
def fold(name: str) -> str:
    """Comparison key: case, accents, apostrophe style, a leading "the" and spacing do not count."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    text = " ".join(stripped.casefold().replace("’", "'").replace("‘", "'").replace("–", "-").split())
    return text[4:] if text.startswith("the ") else text


@dataclass
class EntityRules:
    aliases: dict[str, tuple[str, str]] = field(default_factory=dict)  # folded form -> (name, type)
    titles: frozenset[str] = frozenset()
    title_heads: frozenset[str] = frozenset()
    law_heads: frozenset[str] = frozenset()
    event_heads: frozenset[str] = frozenset()
    organization_cues: frozenset[str] = frozenset()
    not_entities: frozenset[str] = frozenset()
    files: tuple[Path, ...] = ()

    def alias(self, surface: str) -> tuple[str, str] | None:
        return self.aliases.get(fold(surface))


def load_rules(*extra: Path) -> EntityRules:
    """Defaults plus every existing file in ``extra`` (missing files are skipped)."""
    rules = EntityRules()
    lists: dict[str, set[str]] = {
        name: set() for name in ("titles", "title_heads", "law_heads", "event_heads", "organization_cues")
    }
    junk: set[str] = set()
    files = []
    for path in (DEFAULTS, *extra):
        if not path.is_file():
            continue
        data = _read(path)
        files.append(path)
        section = data.get("rules", {})
        for name, values in lists.items():
            values |= {fold(t) for t in _strings(section.get(name, []), path, f"rules.{name}")}
        for number, item in enumerate(data.get("entity", []), start=1):
            name, entity_type, aliases = _entity(item, path, number)
            for form in (name, *aliases):
                rules.aliases[fold(form)] = (name, entity_type)
        for number, item in enumerate(data.get("not_entity", []), start=1):
            if not isinstance(item, dict) or not isinstance(item.get("form"), str):
                raise RulesError(f"{path}: not_entity {number} needs a 'form' string")
            junk.add(fold(item["form"]))
    for name, values in lists.items():
        setattr(rules, name, frozenset(values))
    rules.not_entities = frozenset(junk)
    rules.files = tuple(files)
    return rules


def _read(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError(f"{path}: cannot read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"{path}: not valid TOML ({exc})") from None


def _entity(item: object, path: Path, number: int) -> tuple[str, str, list[str]]:
    if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"].strip():
        raise RulesError(f"{path}: entity {number} needs a 'name'")
    entity_type = item.get("type", "organization")
    if entity_type not in ENTITY_TYPES:
        raise RulesError(f"{path}: entity {item['name']!r} has type {entity_type!r}; use one of {', '.join(NAMED)}")
    name = clean_text(item["name"]).strip()  # shown on screen: no escape sequences from a shared file
    if not name:
        raise RulesError(f"{path}: entity {number} needs a 'name'")
    return name, entity_type, _strings(item.get("aliases", []), path, f"entity {item['name']!r} aliases")


def _strings(value: object, path: Path, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RulesError(f"{path}: {where} must be a list of strings")
    return value
