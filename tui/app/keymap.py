"""The user's own keys: ``keys.toml`` in the config folder remaps bindings by id.

    # ~/.config/newsreader/keys.toml
    [keys]
    "app.search" = "/,ctrl+f"
    "reader.next" = "n,right"

Every id, its default keys and where it works: ``known_bindings()``, and docs/keys.md.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass
from pathlib import Path

from tui.analysis.settings import config_dir

FILE_NAME = "keys.toml"


@dataclass(frozen=True, slots=True)
class KnownBinding:
    id: str
    keys: str  # the default, as keys.toml writes it: "question_mark,f1"
    description: str
    where: str  # the screen (or dialog) it works on


def keymap_path() -> Path:
    return config_dir() / FILE_NAME


def load_keymap(path: Path | None = None) -> tuple[dict[str, str], str | None]:
    """``({binding id: keys}, problem)``; a broken file gives no keymap and a message."""
    path = path or keymap_path()
    if not path.is_file():
        return {}, None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return {}, f"{path}: ignored, not valid TOML ({exc})"
    keys = data.get("keys", {})
    if not isinstance(keys, dict) or not all(isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in keys.items()):
        return {}, f'{path}: ignored, write [keys] then lines like "app.search" = "/,ctrl+f"'
    return {k: v.replace(" ", "") for k, v in keys.items()}, None


def check_keymap(keymap: dict[str, str], path: Path | None = None) -> str | None:
    """The warning for ids no binding has (Textual ignores them: a typo would go unseen),
    each with the closest known id; None when every id is known."""
    known = [b.id for b in known_bindings()]
    unknown = [name for name in keymap if name not in known]
    if not unknown:
        return None
    named = []
    for name in unknown:
        close = difflib.get_close_matches(name, known, n=1)
        named.append(f'"{name}"' + (f' (did you mean "{close[0]}"?)' if close else ""))
    return (f"{path or keymap_path()}: unknown binding id(s) ignored: {', '.join(named)}; "
            "the other keys apply (every id is in docs/keys.md)")


def known_bindings() -> list[KnownBinding]:
    """Every binding keys.toml can remap, screen by screen, with its default keys: what a
    keys.toml is checked against and what docs/keys.md lists. It imports every screen
    (a tenth of the app's imports): not before the first paint."""
    from tui.app.app import NewsreaderApp
    from tui.app.article_list import ArticleList
    from tui.app.dossier_screen import DossierScreen
    from tui.app.entity_picker import EntityPicker
    from tui.app.export_dialog import ExportDialog
    from tui.app.help_screen import HelpScreen
    from tui.app.issues_screen import IssuesScreen
    from tui.app.quotes_screen import QuoteList, QuotesScreen
    from tui.app.reader import ReaderScreen
    from tui.app.search_screen import FacetList, ResultList, SearchScreen
    from tui.app.tray import NoteEditor, TrayScreen

    places = (
        ("Everywhere", (NewsreaderApp,)),
        ("Article list", (ArticleList,)),
        ("Reader", (ReaderScreen,)),
        ("Search", (SearchScreen, ResultList, FacetList)),
        ("Excerpts (the tray)", (TrayScreen,)),
        ("Note and tags", (NoteEditor,)),
        ("Export", (ExportDialog,)),
        ("Dossier", (DossierScreen,)),
        ("Go to entity", (EntityPicker,)),
        ("Quotes", (QuotesScreen, QuoteList)),
        ("Issues over time", (IssuesScreen,)),
        ("Help", (HelpScreen,)),
    )
    return [
        KnownBinding(binding.id, binding.key, binding.description or binding.action, where)
        for where, classes in places
        for cls in classes
        for binding in cls.BINDINGS
        if binding.id
    ]

