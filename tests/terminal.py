"""The installed ``newsreader`` in a real terminal: tmux, driven as a person drives it.

A pilot test is not a terminal: inside the real app Textual owns stdio and signals, and
paths that only run there (worker processes, a hang-up) are what these tests reach.
Each terminal runs on a tmux server of its own (``-L``), never the user's.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

NEWSREADER = Path(sys.executable).with_name("newsreader")  # the entry point of the venv running the tests


def why_not_runnable() -> str | None:
    """Why these tests cannot run here (None when they can)."""
    if shutil.which("tmux") is None:
        return "tmux is not installed (make test installs it where apt-get can be used as root)"
    if not NEWSREADER.exists():
        return f"the newsreader entry point is not installed beside {sys.executable} (pip install -e .)"
    return None


class Terminal:
    """A 160×48 terminal running ``command`` in ``cwd`` with ``env`` added."""

    def __init__(self, command: list[str], cwd: Path, env: dict[str, str], size: tuple[int, int] = (160, 48)) -> None:
        self.socket = f"newsreader-test-{os.getpid()}-{id(self)}"
        self.session = "app"
        # (without the size the test process may have in its environment: the terminal's own counts)
        settings = ["env", "-u", "COLUMNS", "-u", "LINES", *(f"{k}={v}" for k, v in env.items())]
        line = " ".join(shlex.quote(part) for part in [*settings, *command])
        # The shell stays after the app ends, so its last words and exit status can be read.
        script = f"{line}; echo \"[exited $?]\"; sleep 600"
        width, height = str(size[0]), str(size[1])
        self._tmux("-f", "/dev/null", "new-session", "-d", "-s", self.session, "-x", width, "-y", height, "-c", str(cwd), script)
        # With no client attached tmux falls back to 80×24 at the next resize: the size is fixed.
        self._tmux("set-option", "-g", "default-size", f"{width}x{height}")
        self._tmux("resize-window", "-t", self.session, "-x", width, "-y", height)

    def _tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=30)
        if done.returncode != 0 and "kill-server" not in args:
            raise AssertionError(f"tmux {' '.join(args[:2])} failed: {done.stderr.strip()}")
        return done.stdout

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", self.session)

    def press(self, *keys: str, pause: float = 0.3) -> None:
        """tmux key names: Enter, Escape, Tab, BTab, Down, Space, or a character."""
        for key in keys:
            self._tmux("send-keys", "-t", self.session, key)
            time.sleep(pause)

    def type(self, text: str) -> None:
        self._tmux("send-keys", "-t", self.session, "-l", text)

    def wait_for(self, text: str, limit: float, poll: float = 0.5) -> str:
        """The screen once it shows ``text``; a failure (with the screen) after ``limit`` seconds."""
        deadline = time.monotonic() + limit
        while True:
            screen = self.screen()
            if text in screen:
                return screen
            if "[exited" in screen or time.monotonic() > deadline:
                raise AssertionError(f"{text!r} not on screen after {limit:.0f} s; the screen:\n{screen}")
            time.sleep(poll)

    def status_line(self) -> str:
        lines = [line for line in self.screen().splitlines() if line.strip()]
        return lines[-2] if len(lines) >= 2 else ""

    def processes(self) -> set[int]:
        """The app's processes: every descendant of the shell in the pane."""
        shell = int(self._tmux("display-message", "-p", "-t", self.session, "#{pane_pid}").strip())
        found, todo = set(), [shell]
        while todo:
            pid = todo.pop()
            children = Path(f"/proc/{pid}/task/{pid}/children")
            try:
                kids = [int(k) for k in children.read_text().split()]
            except OSError:
                continue
            for kid in kids:
                if _command(kid) != "sleep":
                    found.add(kid)
                    todo.append(kid)
        return found

    def close(self) -> None:
        """The terminal goes away (as a window closed or an ssh connection lost)."""
        self._tmux("kill-server")


def alive(pids: set[int]) -> set[int]:
    """Those of ``pids`` still running (zombies count as gone)."""
    running = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if state != "Z":
            running.add(pid)
    return running


def wait_gone(pids: set[int], limit: float) -> set[int]:
    """Those of ``pids`` still running after ``limit`` seconds (none, once all are gone)."""
    deadline = time.monotonic() + limit
    while alive(pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive(pids)


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""
