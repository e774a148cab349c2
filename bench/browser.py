"""``python -m bench browser``: what a visitor waits for, in headless Chromium.

1. Load: from navigation to the main chart being visible (the first ``.js-plotly-plot``
   with its main SVG drawn), median of N fresh pages (each a new browser context, so no
   cached session), after one untimed warm-up load that fills the server's caches.
2. Update: from a control change (the Steps slider moved one step with the keyboard) to
   the chart showing the new run (the figure's frame count changes), median of N.
3. The targets beside the figures, PASS or MISS. The exit code is 0 either way.

This module is also where the app server is started and stopped for the browser tests
(``serve_app``), and where Chromium is found and launched (``find_chromium``,
``launch_chromium``): tests/browser/conftest.py imports them from here.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
SERVER_START_TIMEOUT_S = 60.0

# The main chart: the first Plotly graph on the page, drawn (its main SVG has a plot area).
CHART = ".js-plotly-plot"
CHART_DRAWN_JS = """() => {
    const g = document.querySelector('.js-plotly-plot');
    if (!g || !g._fullLayout || !g.data) return false;
    const svg = g.querySelector('svg.main-svg');
    if (!svg) return false;
    const r = svg.getBoundingClientRect();
    const traces = g.querySelectorAll('.scatterlayer .trace').length;
    return r.width > 0 && r.height > 0 && traces === g.data.length;
}"""
FRAME_COUNT_JS = """() => {
    const g = document.querySelector('.js-plotly-plot');
    return g && g._transitionData ? g._transitionData._frames.length : -1;
}"""

TARGET_LOAD_S = 4.0
TARGET_UPDATE_S = 1.0
REPEATS = 5


def find_chromium() -> str | None:
    """The Chromium to drive: $CHROMIUM_PATH, else Debian's package; None if absent."""
    path = os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM
    if os.path.isfile(path) and os.access(path, os.X_OK):
        return path
    return shutil.which(path)


def launch_chromium(playwright, executable: str):
    """A headless Chromium with the flags that work here (no sandbox, no GPU, no network
    chatter of its own)."""
    return playwright.chromium.launch(
        executable_path=executable, headless=True, args=list(CHROMIUM_ARGS)
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
            return r.status == 200 and r.read().strip() == b"ok"
    except (OSError, urllib.error.URLError):
        return False


@contextlib.contextmanager
def serve_app(timeout: float = SERVER_START_TIMEOUT_S) -> Iterator[str]:
    """Run ``streamlit run app.py`` on a free port; yield its base URL once healthy.

    The server's output goes to a temporary file, shown in the error if it fails to
    start; the process is terminated (then killed, if it lingers) on exit.
    """
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + timeout
            while not _healthy(base):
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    output = log.read().decode(errors="replace")[-4000:]
                    state = (
                        f"exited with code {proc.returncode}"
                        if proc.poll() is not None
                        else f"not healthy after {timeout:g} s"
                    )
                    raise RuntimeError(f"streamlit server {state}:\n{output}")
                time.sleep(0.2)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
