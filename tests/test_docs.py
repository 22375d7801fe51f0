"""The docs say what the code does: docs/keys.md lists every binding as it is bound,
docs/json.md names every field the commands print, and the help cites them."""

from __future__ import annotations

import re
import string
from pathlib import Path

from textual.keys import _character_to_key

from tests.conftest import ROOT
from tui.analysis import ArticleAnalysis
from tui.analysis.model import Entity, IssueMatch, Mention, Quote
from tui.app.keymap import check_keymap, known_bindings, load_keymap
from tui.cli.main import build_command_parser
from tui.cli.search import result_json
from tui.cli.serialize import article_json, skipped_json
from tui.corpus import SkippedFile
from tui.index.model import Hit, Passage, SearchResult

DOCS = ROOT / "docs"


# A punctuation key by its character, as keys.toml may write it (Textual reads "?" as
# question_mark); not the characters that separate keys or break a Markdown table.
_CHARACTERS = {_character_to_key(c): c for c in string.punctuation if c not in ",`|"}


def written(keys: str) -> str:
    """"question_mark,f1" -> "`?`, `f1`": the keys as the user types them in keys.toml."""
    return ", ".join(f"`{_CHARACTERS.get(key, key)}`" for key in keys.split(","))


def keys_tables() -> dict[str, list[str]]:
    """The table of each screen in docs/keys.md, made from the bindings themselves."""
    tables: dict[str, list[str]] = {}
    for binding in known_bindings():
        rows = tables.setdefault(binding.where, ["| key | does | id |", "| --- | --- | --- |"])
        rows.append(f"| {written(binding.keys)} | {binding.description} | `{binding.id}` |")
    return tables


def tables_in(text: str) -> dict[str, list[str]]:
    """The table rows under each ``###`` heading of a Markdown text."""
    tables: dict[str, list[str]] = {}
    heading = None
    for line in text.splitlines():
        if line.startswith("#"):
            heading = line[4:] if line.startswith("### ") else None
        elif line.startswith("|") and heading is not None:
            tables.setdefault(heading, []).append(line)
    return tables


def test_the_keys_doc_lists_every_binding_as_bound():
    expected = keys_tables()
    made = "\n\n".join(f"### {where}\n\n" + "\n".join(rows) for where, rows in expected.items())
    assert tables_in((DOCS / "keys.md").read_text(encoding="utf-8")) == expected, (
        f"docs/keys.md is out of date; its tables, made from known_bindings(), are:\n\n{made}"
    )


def test_the_keys_doc_example_is_a_keymap_without_problems(tmp_path):
    text = (DOCS / "keys.md").read_text(encoding="utf-8")
    example = re.search(r"```toml\n(.*?)```", text, re.S).group(1)
    path = tmp_path / "keys.toml"
    path.write_text(example, encoding="utf-8")
    keymap, problem = load_keymap(path)
    assert keymap and problem is None and check_keymap(keymap, path) is None


def _keys(value: object) -> set[str]:
    """Every object key in a JSON value, at any depth."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_the_json_doc_names_every_field(seed_corpus):
    article = seed_corpus.articles[0]
    mention = [Mention("Nafta", 33, 38)]
    analysis = ArticleAnalysis(article.id, article.content_hash, "model", [Entity("NAFTA", "law", mention)],
                               [IssueMatch("i", "I", mention)], [Quote("Someone", "Nafta", 33, 38)])
    result = SearchResult("q", 1, [Hit(article.id, "T", 1.0, [Passage(1, "t", [(0, 1)])])], {}, None)
    printed = _keys(article_json(article, analysis)) | _keys(skipped_json(SkippedFile(Path("x"), "why")))
    printed |= _keys(result_json(result))
    documented = set(re.findall(r"^\| `(\w+)` \|", (DOCS / "json.md").read_text(encoding="utf-8"), re.M))
    assert printed <= documented, printed - documented


def test_the_help_cites_the_docs_a_user_has():
    for command in ("analyze", "search"):
        assert "docs/json.md" in build_command_parser(command).format_help()
    cited = [p for p in [*(ROOT / "tui").rglob("*.py"), *(ROOT / "tests").glob("*.py")]
             if p.name != "test_docs.py" and "DESIGN.md" in p.read_text(encoding="utf-8")]
    assert cited == []
