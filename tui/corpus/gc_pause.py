"""A pause of Python's cyclic garbage collector while a start builds its data.

A start on 13,000 articles makes millions of small objects that live as long as the
corpus (articles, paragraphs, entities, mentions). The collector runs every few
hundred allocations and each older-generation pass re-scans everything made so far:
4 of the 6 seconds of decoding the cached analysis went to it. None of these objects
form cycles, so the collector has nothing to find in them: it is paused while they
are made, and for a large pile they are then frozen (``gc.freeze``), or its next full
pass would scan them all again (another second and a half). Freezing also keeps
whatever cyclic garbage exists at that moment until exit: nothing next to a large
corpus, which is why small ones (and the test suite's many apps) do not freeze.
"""

from __future__ import annotations

import gc


FREEZE_FROM = 2_000  # articles


class gc_paused:  # noqa: N801 - used as a context manager, like contextlib's
    """``with gc_paused(articles):``; ``articles`` (also settable inside the block, once
    known) is how many articles the data is about: from FREEZE_FROM it is frozen."""

    def __init__(self, articles: int = 0) -> None:
        self.articles = articles
        self._enabled = False

    def __enter__(self) -> gc_paused:
        self._enabled = gc.isenabled()
        gc.disable()
        return self

    def __exit__(self, *_exc) -> None:
        if self.articles >= FREEZE_FROM:
            gc.freeze()
        if self._enabled:
            gc.enable()
