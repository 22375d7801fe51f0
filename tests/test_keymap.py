"""keys.toml is checked against every binding the app has, not a list kept by hand."""

from __future__ import annotations

import re

from tests.conftest import ROOT
from tui.app.keymap import check_keymap, known_bindings


def test_every_binding_id_of_the_app_is_known_once():
    written = set()
    for path in (ROOT / "tui" / "app").glob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if "Binding(" in line and (found := re.search(r'\bid="([^"]+)"', line)):
                written.add(found.group(1))
    known = [b.id for b in known_bindings()]
    assert len(known) == len(set(known))  # one id, one binding: keys.toml cannot be ambiguous
    assert written <= set(known), written - set(known)
    assert {"reader.toggle.person", "reader.toggle.issue"} <= set(known)  # (made in a loop)


def test_known_ids_pass_and_unknown_ones_are_named_with_the_closest(tmp_path):
    path = tmp_path / "keys.toml"
    assert check_keymap({"app.search": "f", "reader.toggle.person": "p"}, path) is None
    problem = check_keymap({"reader.nxt": "x", "app.search": "f", "qwerty": "z"}, path)
    assert problem == (f'{path}: unknown binding id(s) ignored: "reader.nxt" (did you mean "reader.next"?), '
                       '"qwerty"; the other keys apply (every id is in docs/keys.md)')
