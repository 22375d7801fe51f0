"""A child process of ``newsreader bench``: the real app, headless, on a corpus.

Prints ``paint <time>`` when the article list first reaches the screen and ``ready
<time>`` when analysis (from the cache) and the index are done, then quits and prints
``memory <MB>``, its peak resident memory. Times are
``time.time()``, so the parent can measure from before it started this process
(interpreter start and imports included, as a user waits for them).
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

from tui.analysis import settings_for_corpus
from tui.app import app as app_module
from tui.app.app import NewsreaderApp
from tui.app.article_list import ArticleList
from tui.index import Library


class ProbedApp(NewsreaderApp):
    CSS_PATH = Path(app_module.__file__).parent / NewsreaderApp.CSS_PATH  # relative to this file otherwise
    _painted = False

    # Textual calls ``on_mount`` of every class in the MRO: this one runs first, then the
    # app's (which paints the rows of the last listing). No super() call here: that
    # would mount the app twice.
    def on_mount(self) -> None:
        self.call_after_refresh(self._stamp_paint)  # after the first frame, rows or not

    def _show_corpus(self, corpus) -> None:
        super()._show_corpus(corpus)
        self.call_after_refresh(self._stamp_paint)  # (no listing: the rows come from the folder)

    def _stamp_paint(self) -> None:
        """Once a frame with rows is out."""
        if not self._painted and self.query_one(ArticleList).row_count:
            self._painted = True
            print(f"paint {time.time()}", flush=True)

    def _index_ready(self, message: str) -> None:
        super()._index_ready(message)
        self.call_after_refresh(self._done)

    def _done(self) -> None:
        print(f"ready {time.time()}", flush=True)
        self.exit()


def print_peak_memory() -> None:
    """This process's peak resident memory, in MB. Linux's VmHWM, where there is one:
    ``ru_maxrss`` keeps the peak of the process this one was forked from (the bench)."""
    try:
        status = Path("/proc/self/status").read_text()
        peak_kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
    except (OSError, StopIteration, ValueError, IndexError):
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"memory {peak_kb / 1024}", flush=True)


def main(argv: list[str]) -> None:
    root, cache, data = (Path(a) for a in argv)
    library = Library(root, settings_for_corpus(root, cache_folder=cache), index_base=cache)
    ProbedApp(library, data_dir=data).run(headless=True, size=(160, 48))
    print_peak_memory()


if __name__ == "__main__":
    main(sys.argv[1:])
