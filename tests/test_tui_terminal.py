"""The app on a real terminal (a pseudo-terminal): it leaves when the terminal hangs up."""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from tests.conftest import ROOT

# Started the way `make run` starts it: a parent that stays in the foreground (so the
# app is not the session leader and never receives SIGHUP when the terminal goes).
PARENT = "import subprocess, sys; sys.exit(subprocess.call(sys.argv[1:]))"


def _read_until(fd: int, needle: bytes, deadline: float) -> bytes:
    seen = b""
    while needle not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], deadline - time.monotonic())
        if not ready:
            break
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    return seen


def test_the_app_quits_when_its_terminal_hangs_up_instead_of_spinning(db_path: Path) -> None:
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", PARENT, sys.executable, "-m", "tui", "--db", str(db_path)],
                            stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
    os.close(slave)
    try:
        shown = _read_until(master, b"Ingest", time.monotonic() + 60)
        assert b"Ingest" in shown, shown[-500:]  # the welcome screen is up: the app reads the terminal
        os.close(master)  # the terminal hangs up, as when an SSH link drops or a tmux pane closes
        assert proc.wait(timeout=30) == 129  # and says why, as a shell would
    finally:
        # The app is the parent's child: end the whole session, never leave an app spinning.
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
