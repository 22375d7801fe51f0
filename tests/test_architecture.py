"""The layers, corpus → analysis → index → excerpts → app → cli: imports flow one way,
Textual stays in the app."""

from __future__ import annotations

import tomllib

from importlinter.cli import lint_imports

from tests.conftest import ROOT


def test_import_contracts_hold(monkeypatch):
    monkeypatch.chdir(ROOT)  # import-linter reads [tool.importlinter] from ./pyproject.toml
    assert lint_imports(no_cache=True, no_logo=True) == 0


def test_the_contracts_cover_every_layer():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    contracts = {c["type"]: c for c in config["contracts"]}
    assert contracts["layers"]["layers"] == [
        "tui.cli", "tui.app", "tui.excerpts", "tui.index", "tui.analysis", "tui.corpus",
    ]
    forbidden = contracts["forbidden"]
    assert set(forbidden["source_modules"]) == {"tui.corpus", "tui.analysis", "tui.index", "tui.excerpts"}
    assert forbidden["forbidden_modules"] == ["textual"]
    packages = {p.name for p in (ROOT / "tui").iterdir() if (p / "__init__.py").exists()}
    assert packages == {"corpus", "analysis", "index", "excerpts", "app", "cli"}


def test_what_the_list_waits_for_is_light():
    # Before the article list is painted the app imports itself, Textual and the cache:
    # spaCy, Whoosh, numpy, the analysis pipeline, the pile and the screens come later.
    import subprocess
    import sys

    late = ["spacy", "whoosh", "numpy", "tui.analysis.pipeline", "tui.analysis.pile", "tui.app.reader",
            "tui.app.search_screen", "tui.app.tray", "tui.app.dossier_screen", "email.utils"]
    code = ("import sys, tui.cli.main, tui.cli.open_app, tui.app.app; "
            f"print([m for m in {late!r} if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.strip() == "[]"
