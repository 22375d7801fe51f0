"""The editable issue taxonomy: ``issues.toml`` in the corpus folder, or ``--taxonomy``."""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from tui.corpus.decode import clean_text

FILE_NAME = "issues.toml"
_ID = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")
STRONG, WEAK = 2, 1


class TaxonomyError(ValueError):
    """A taxonomy that cannot be used; the message names the file, the issue and the fix."""


@dataclass(frozen=True, slots=True)
class IssueDefinition:
    id: str
    label: str
    phrases: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    patterns: tuple[tuple[dict, ...], ...] = ()
    min_score: int = STRONG


@dataclass(frozen=True, slots=True)
class Taxonomy:
    issues: tuple[IssueDefinition, ...]
    path: Path | None
    digest: str  # part of the analysis cache key: an edited taxonomy means re-matching

    def label(self, issue_id: str) -> str:
        return next((i.label for i in self.issues if i.id == issue_id), issue_id)


NO_TAXONOMY = Taxonomy((), None, "none")


def find_taxonomy(corpus_folder: Path) -> Path | None:
    candidate = corpus_folder / FILE_NAME
    return candidate if candidate.is_file() else None


def load_taxonomy(path: Path) -> Taxonomy:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TaxonomyError(f"{path}: no such taxonomy file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TaxonomyError(f"{path}: cannot read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise TaxonomyError(f"{path}: not valid TOML ({exc})") from None
    entries = data.get("issue")
    if not isinstance(entries, list) or not entries:
        raise TaxonomyError(f"{path}: no [[issue]] entries")
    issues = []
    seen = set()
    for number, entry in enumerate(entries, start=1):
        issue = _issue(entry, path, number)
        if issue.id in seen:
            raise TaxonomyError(f"{path}: issue id {issue.id!r} is used twice")
        seen.add(issue.id)
        issues.append(issue)
    canonical = json.dumps(entries, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return Taxonomy(tuple(issues), path, hashlib.sha256(canonical).hexdigest()[:16])


def _issue(entry: object, path: Path, number: int) -> IssueDefinition:
    where = f"{path}: issue {number}"
    if not isinstance(entry, dict):
        raise TaxonomyError(f"{where} is not a table")
    issue_id = entry.get("id")
    if not isinstance(issue_id, str) or not _ID.match(issue_id):
        raise TaxonomyError(f"{where} needs an 'id' of lower-case letters, digits, '_' or '-'")
    where = f"{path}: issue {issue_id!r}"
    label = entry.get("label", issue_id)
    if not isinstance(label, str) or not clean_text(label).strip():
        raise TaxonomyError(f"{where}: 'label' must be text")
    label = clean_text(label)  # shown on screen: no escape sequences from a shared file
    phrases = _strings(entry.get("phrases", []), f"{where}: 'phrases'")
    terms = _strings(entry.get("terms", []), f"{where}: 'terms'")
    patterns = entry.get("patterns", [])
    if not isinstance(patterns, list) or not all(
        isinstance(p, list) and p and all(isinstance(t, dict) for t in p) for p in patterns
    ):
        raise TaxonomyError(f"{where}: 'patterns' must be a list of token-pattern lists, e.g. [[{{LEMMA = \"rule\"}}]]")
    min_score = entry.get("min_score", STRONG)
    if not isinstance(min_score, int) or min_score < 1:
        raise TaxonomyError(f"{where}: 'min_score' must be a positive whole number")
    if not (phrases or terms or patterns):
        raise TaxonomyError(f"{where}: give at least one of 'phrases', 'terms', 'patterns'")
    return IssueDefinition(issue_id, label.strip(), phrases, terms, tuple(tuple(p) for p in patterns), min_score)


def _strings(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise TaxonomyError(f"{where} must be a list of non-empty strings")
    return tuple(v.strip() for v in value)
