"""What goes wrong in a worker or thread of the app: said on screen, written to the log.

A worker's function is wrapped by ``reported(where)``: an exception becomes a status
line in the error colour and a notification with a one-line reason that names the log
file, where the traceback is written. The app stays up with what it has.

``$NEWSREADER_FAULT`` (``analysis``, ``search,index`` …) makes the named places raise:
how the end-to-end tests make a worker of the real app fail.
"""

from __future__ import annotations

import functools
import os
import threading
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from tui.analysis.settings import log_path

if TYPE_CHECKING:
    from textual.app import App

FAULT_ENV = "NEWSREADER_FAULT"
WorkFunction = TypeVar("WorkFunction", bound=Callable)


class InjectedFault(RuntimeError):
    """Raised where ``$NEWSREADER_FAULT`` names the place."""


def inject(where: str) -> None:
    if where in (place.strip() for place in os.environ.get(FAULT_ENV, "").split(",")):
        raise InjectedFault(f"failure injected by {FAULT_ENV}={where}")


def one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:200]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def write_log(where: str, exc: BaseException) -> Path | None:
    """Append the traceback to the log; its path, or None when it cannot be written."""
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write(f"--- {datetime.now().isoformat(timespec='seconds')} {where} failed\n")
            log.write("".join(traceback.format_exception(exc)))
    except OSError:
        return None
    return path


def failure_message(where: str, exc: BaseException, logged: Path | None) -> tuple[str, str]:
    """(the status line, the notification) for a failure."""
    status = f"{where} failed: {one_line(exc)}"
    details = f"Details in {logged}" if logged else "The log could not be written either."
    return status, f"{status}\n{details}"


def reported(where: str) -> Callable[[WorkFunction], WorkFunction]:
    """For a thread worker's function (of the app or of a screen): a failure is reported
    on screen and in the log, instead of ending the app or being swallowed."""

    def decorate(work: WorkFunction) -> WorkFunction:
        @functools.wraps(work)
        def guarded(self, *args, **kwargs):
            try:
                inject(where)
                return work(self, *args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - the point: every failure is said
                app = _app_of(self)
                if app.is_running:  # (not the app closing under a worker: its calls to the app fail then)
                    report_from_thread(app, where, exc)
                return None

        return guarded  # type: ignore[return-value]

    return decorate


def _app_of(node) -> App:
    """The app itself (in a thread of its own, ``App.app`` has no context to be read from)."""
    from textual.app import App

    return node if isinstance(node, App) else node.app


def report_from_thread(app: App, where: str, exc: BaseException) -> None:
    """From a thread other than the app's: to the screen if the app still runs, to the log anyway."""
    try:
        app.call_from_thread(app.report_failure, where, exc)
    except Exception:  # noqa: BLE001 - the app has closed: the log is all there is
        write_log(where, exc)


def report_uncaught_threads(app: App) -> Callable[[], None]:
    """Exceptions that end any other thread of the process (a save in the background) are
    reported too; returns the function that puts the previous hook back."""
    previous = threading.excepthook

    def hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or isinstance(args.exc_value, SystemExit):
            return previous(args)
        name = args.thread.name if args.thread is not None else "a thread"
        report_from_thread(app, name, args.exc_value)

    threading.excepthook = hook

    def restore() -> None:
        threading.excepthook = previous

    return restore
