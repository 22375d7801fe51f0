"""The app's process ends with its terminal, and ends when the app does.

The terminal can go away without a key pressed: a window closed, an ssh connection
lost, ``tmux kill-session``. Run directly, the app then gets SIGHUP; run under ``make``,
it may get nothing, and Textual's input thread reads end-of-file in a loop at 100 % of
a core. So SIGHUP and SIGTERM, and a hang-up seen on the terminal (POLLHUP on stdin),
close the app as ``q`` does (what is pending is saved in ``on_unmount``), and if that
has not ended the process within ``GRACE`` seconds, it is ended.

Quitting must not wait for a thread either: Python joins worker threads and
multiprocessing's queue feeders at exit, and an analysis under way would hold the
process for minutes (or for ever, its spaCy processes gone). ``leave`` ends the process
once the app has closed and saved; everything the user must not lose is written by then
(excerpts one transaction each, the results atomically).
"""

from __future__ import annotations

import os
import select
import signal
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App

GRACE = 1.8  # seconds from the terminal going away to the process gone
_POLL_MS = 250


def end_with_the_terminal(app: App) -> Callable[[], None]:
    """Watch for the terminal going away (from the app's ``on_mount``, in its event loop);
    returns what stops watching. Nothing is watched for a headless app (tests)."""
    if app.is_headless:
        return lambda: None
    import asyncio

    loop = asyncio.get_running_loop()
    loop.set_default_executor(_NotWaitingExecutor(thread_name_prefix="worker"))
    stop = threading.Event()

    def gone(code: int) -> None:
        if stop.is_set():
            return
        stop.set()
        _end_after(GRACE)
        app.exit(return_code=code)  # (no message: there may be no terminal to print it on)

    for signum in (signal.SIGHUP, signal.SIGTERM):
        loop.add_signal_handler(signum, gone, 128 + signum)
    if sys.__stdin__ is not None and sys.__stdin__.isatty():
        hung_up = lambda: loop.call_soon_threadsafe(gone, 128 + signal.SIGHUP)  # noqa: E731
        threading.Thread(target=_watch_hangup, args=(sys.__stdin__.fileno(), stop, hung_up),
                         name="terminal-watch", daemon=True).start()

    def unwatch() -> None:
        stop.set()
        for signum in (signal.SIGHUP, signal.SIGTERM):
            loop.remove_signal_handler(signum)

    return unwatch


class _NotWaitingExecutor(ThreadPoolExecutor):
    """The event loop's executor, which runs the thread workers: closing the loop (after
    the app) does not wait for a worker under way, whose work ``leave`` drops."""

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        super().shutdown(wait=False, cancel_futures=True)


def _watch_hangup(fd: int, stop: threading.Event, hung_up: Callable[[], object]) -> None:
    """Poll the terminal for a hang-up alone (no input events: Textual reads those)."""
    poller = select.poll()
    poller.register(fd, 0)  # POLLHUP, POLLERR and POLLNVAL are always reported
    while not stop.is_set():
        if poller.poll(_POLL_MS):
            hung_up()
            return


def _end_after(seconds: float) -> None:
    timer = threading.Timer(seconds, os._exit, args=(1,))
    timer.daemon = True
    timer.start()


def leave(code: int) -> None:
    """End the process now that the app has closed (see the module's doc)."""
    from tui.corpus.snapshot import wait_until_saved

    wait_until_saved()  # a snapshot being written in the background is finished
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)
