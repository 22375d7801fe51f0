"""The user's own keys: ``keys.toml`` in the config folder remaps bindings by id.

    # ~/.config/newsreader/keys.toml
    [keys]
    "app.search" = "/,ctrl+f"
    "reader.next" = "n,right"
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from tui.analysis.settings import config_dir

FILE_NAME = "keys.toml"


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
