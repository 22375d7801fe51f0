"""Textual's Footer, its keys styled once as they mount rather than three times.

Each key of Textual's Footer starts compact, then is bound to the footer's own
``compact``: a class added and removed again, each a restyle of the key, at every
recompose (the footer recomposes whenever the focus moves). On the first frame that is
some 40 restyles for nothing. Here each key takes the footer's value before it mounts.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    def compose(self) -> ComposeResult:
        for widget in super().compose():
            compact = getattr(type(widget), "compact", None)
            # (the palette's key is not bound to the footer's value: it stays compact)
            if compact is not None and not widget.has_class("-command-palette"):
                widget.set_reactive(compact, self.compact)
                widget.set_class(self.compact, "-compact", update=False)
            yield widget
