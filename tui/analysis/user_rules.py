"""The reader's own corrections, saved in the user's ``aliases.toml``: "these two are one
entity" (``[[entity]]`` with aliases) and "this is not an entity" (``[[not_entity]]``).

Appended as text, so the user's comments and layout stay as they wrote them; the new
file is checked with the same loader that will read it, then replaces the old one
atomically. The aliases are applied when names are resolved, after spaCy: a change
needs no NLP on articles that did not change.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from tui.analysis.rules import FILE_NAME, RulesError, load_rules
from tui.analysis.settings import config_dir


def user_rules_path() -> Path:
    return config_dir() / FILE_NAME


def add_merge(name: str, entity_type: str, forms: Iterable[str], path: Path | None = None) -> Path:
    """Every one of ``forms`` is ``name`` (of ``entity_type``) from now on."""
    aliases = sorted({f for f in forms if f and f != name})
    if not aliases:
        raise RulesError("nothing to merge: the names are the same")
    block = ("\n[[entity]]  # merged by hand in newsreader\n"
             f"name = {_string(name)}\ntype = {_string(entity_type)}\n"
             f"aliases = [{', '.join(_string(a) for a in aliases)}]\n")
    return _append(path or user_rules_path(), block)


def add_not_entity(forms: Iterable[str], path: Path | None = None) -> Path:
    """None of ``forms`` is an entity from now on."""
    unique = sorted({f for f in forms if f})
    if not unique:
        raise RulesError("no form to mark")
    block = "".join(f"\n[[not_entity]]  # marked by hand in newsreader\nform = {_string(f)}\n" for f in unique)
    return _append(path or user_rules_path(), block)


def _string(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's; control characters escaped)."""
    return json.dumps(text, ensure_ascii=False)


def _append(path: Path, block: str) -> Path:
    """Raise RulesError (the file is left as it was) if it cannot be read or written."""
    try:
        old = path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError(f"{path}: cannot read ({exc})") from None
    text = old + ("" if not old or old.endswith("\n") else "\n") + block
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".aliases-", suffix=".toml")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        load_rules(Path(temporary))  # as it will be read: a file the loader refuses is never put in place
        os.replace(temporary, path)
        temporary = None
    except OSError as exc:
        raise RulesError(f"{path}: cannot write ({exc.strerror or exc})") from None
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
    return path
