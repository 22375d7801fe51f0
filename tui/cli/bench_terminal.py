"""The real app as a new user meets it, for ``newsreader bench``: the ``newsreader``
command started in a pseudo-terminal of its own, with empty cache, data and state
folders, its output read as a terminal would receive it.

A headless probe is not a terminal: Textual owns stdio and signals in the real app, and
what runs only there (spaCy's worker processes started from a worker thread) showed up
nowhere else. Times are from just before the process is started to the moment a text is
first drawn (escape sequences removed from what the app writes).
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

SIZE = (160, 48)
_ESCAPES = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|P[^\x1b]*\x1b\\|[()#][0-9A-Za-z]|[=>78cDEHMNOZ])")


def newsreader_command(folder: Path) -> list[str]:
    """The command a user types, run by this Python (so the bench measures this install)."""
    return [sys.executable, "-m", "tui", str(folder)]


BARE_TEXT = "a bare Textual app"
_BARE_APP = f"""
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static({BARE_TEXT!r})
Bare().run()
"""


def bare_textual_command() -> list[str]:
    """The floor for a first paint: Python starting and Textual drawing one line, in the
    same terminal (``BARE_TEXT`` on screen)."""
    return [sys.executable, "-c", _BARE_APP]


def new_user_folders(home: Path) -> dict[str, str]:
    """Empty folders for everything the app writes (a new user's machine)."""
    names = ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME")
    env = {name: str(home / name.lower()) for name in names}
    return {**env, "HOME": str(home)}


def time_to_texts(command: list[str], env: dict[str, str], texts: list[str], limit: float,
                  quit_after: bool = True) -> dict[str, float]:
    """Start ``command`` in a new pseudo-terminal; seconds from the start to each of
    ``texts`` (in order) first on screen. Then ``q`` (or SIGTERM) and wait for the end.
    RuntimeError when the process ends or ``limit`` passes before the last text."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
    started = time.time()
    # Python as a user runs it: keeping its compiled modules (an environment that forbids
    # writing them would make every start compile the app again).
    inherited = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    child = subprocess.Popen(
        command, stdin=slave, stdout=slave, stderr=slave, env={**inherited, **env, "TERM": "xterm-256color"},
        start_new_session=True, preexec_fn=_take_terminal, close_fds=True,
    )
    os.close(slave)
    seen: dict[str, float] = {}
    shown, pending = "", ""
    try:
        for text in texts:
            while text not in shown:
                remaining = started + limit - time.time()
                if remaining <= 0:
                    raise RuntimeError(f"{text!r} not on screen after {limit:.0f} s")
                ready, _, _ = select.select([master], [], [], min(remaining, 1.0))
                if not ready:
                    continue
                try:
                    chunk = os.read(master, 1 << 16)
                except OSError:
                    chunk = b""
                if not chunk:
                    raise RuntimeError(f"the app ended before {text!r} was on screen: …{shown[-300:]!r}")
                pending += chunk.decode("utf-8", "replace")
                cut = pending.rfind("\x1b")
                keep = pending[cut:] if cut >= 0 and len(pending) - cut < 64 else ""
                shown = (shown + _ESCAPES.sub("", pending[: len(pending) - len(keep)]))[-20_000:]
                pending = keep
            seen[text] = time.time() - started
    finally:
        _end(child, master, quit_after)
    return seen


def _take_terminal() -> None:
    """In the child, after setsid: the pseudo-terminal becomes its controlling terminal."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def _end(child: subprocess.Popen, master: int, politely: bool) -> None:
    if politely and child.poll() is None:
        try:
            os.write(master, b"q")
        except OSError:
            pass
    deadline = time.time() + 15
    while child.poll() is None and time.time() < deadline:
        try:  # (keep reading: a child blocked writing to a full terminal never ends)
            if select.select([master], [], [], 0.1)[0]:
                os.read(master, 1 << 16)
        except OSError:
            break
    if child.poll() is None:
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(5)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    os.close(master)

