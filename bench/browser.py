"""``python -m bench browser``: what a visitor waits for, in headless Chromium.

1. Load: from navigation to the main chart drawn (the first ``.js-plotly-plot`` with its
   main SVG laid out and every trace drawn), as the browser's performance clock counts
   it; median of N fresh pages, each in a new browser context (cold HTTP cache, a new
   Streamlit session), after one untimed warm-up load that fills the server's caches.
   Also the whole page: the app draws its chart first and the rest after it
   (ui.first_paint); the bare page is whole when its chart is drawn.
2. Update: from a control change (the Steps slider moved one step, +10 steps, with the
   keyboard: a run not computed before) to the main chart drawn with the new data (its
   paths' lengths change), and to every chart drawn with it and the script done (the
   page redrawn); median of N on one page, each from a page settled a second after the
   last change was drawn whole. Also the worst case: ten optimizers at 5000 steps,
   Adam's learning rate moved one value.
3. The targets beside the figures, PASS or MISS. The exit code is 0 either way: a
   benchmark reports, tests assert.

This module is also where the app server is started and stopped for the browser tests
(``serve_app``), and where Chromium is found and launched (``find_chromium``,
``launch_chromium``): tests/browser/conftest.py imports them from here.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import math
import os
import platform
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from bench.engine import positive_int
from deploy.replicas import free_port, healthy, streamlit_command
from ui import first_paint, lazy
from ui.first_paint import CHART_DRAWN_JS, DRAWN_JS

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

# The whole page: the main chart drawn (``CHART_DRAWN_JS``, the test the page itself
# uses), no request for the rest left (ui.first_paint) and no script running. The
# request's slot is taken by the rerun's first new element, before the rest arrives.
PAGE_DRAWN_JS = f"""() => ({CHART_DRAWN_JS})()
    && !document.querySelector('.st-key-{first_paint.KEY}')
    && document.querySelector('[data-testid="stApp"]')
        .getAttribute('data-test-script-state') === 'notRunning'"""
TARGET_LOAD_S = 4.0
TARGET_UPDATE_S = 1.0
TARGET_LOAD_RATIO = 1.3
TARGET_WORST_S = 1.5
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


@dataclasses.dataclass(frozen=True)
class Server:
    """A running ``streamlit run``: its base URL and process id."""

    base: str
    pid: int


@contextlib.contextmanager
def serve(
    script: str | Path = "app.py", *flags: str, timeout: float = SERVER_START_TIMEOUT_S
) -> Iterator[Server]:
    """Run ``streamlit run script`` (from the project root, so its .streamlit/config.toml
    applies) on a free port with Streamlit's command-line ``flags``; yield it once healthy.

    The server's output goes to a temporary file, shown in the error if it fails to
    start; the process is terminated (then killed, if it lingers) on exit.
    """
    port = free_port()
    cmd = streamlit_command(script, port, *flags)
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + timeout
            while not healthy(base):
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
            yield Server(base, proc.pid)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@contextlib.contextmanager
def serve_app(timeout: float = SERVER_START_TIMEOUT_S) -> Iterator[str]:
    """Run ``streamlit run app.py`` on a free port; yield its base URL once healthy."""
    with serve("app.py", timeout=timeout) as server:
        yield server.base


# --- measurements ---------------------------------------------------------------------

# performance.now() (ms since the navigation started) once the chart is drawn.
DRAWN_AT_JS = f"() => ({CHART_DRAWN_JS})() && performance.now()"
PAGE_DRAWN_AT_JS = f"() => ({PAGE_DRAWN_JS})() && performance.now()"
# A fingerprint of each chart's data, in page order: for each trace, the length of its x
# and y (base64 text for typed arrays) and a hash of their values. A new step count
# changes every path's length; a new learning rate changes that optimizer's path (on the
# race's chart, x and f; on its panels, whose x is implicit, y). Each array is hashed
# once (a WeakMap on the page): the page is polled every frame, and hashing its 2 MB of
# arrays each time took main-thread time from the page being timed.
SIGNATURES_JS = """() => {
    const seen = window.__signatures || (window.__signatures = new WeakMap());
    const hash = s => {
        let h = 0;
        for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
        return h;
    };
    const sign = v => {
        if (!v || typeof v !== 'object') return '';
        if (!seen.has(v)) seen.set(v, v.bdata ? v.bdata.length + ':' + hash(v.bdata)
            : v.length + ':' + hash(Array.from(v).join()));
        return seen.get(v);
    };
    return Array.from(document.querySelectorAll('.js-plotly-plot'),
        g => (g.data || []).map(t => sign(t.x) + '/' + sign(t.y)).join(','));
}"""
# performance.now() once the main chart is drawn with a fingerprint other than
# ``before[0]``; and once every chart is, with no script running: the page redrawn.
CHANGED_AT_JS = f"""before => {{
    const drawn = {DRAWN_JS}, now = ({SIGNATURES_JS})();
    const g = document.querySelector('.js-plotly-plot');
    return drawn(g) && now[0] !== before[0] && performance.now();
}}"""
PAGE_CHANGED_AT_JS = f"""before => {{
    const drawn = {DRAWN_JS}, now = ({SIGNATURES_JS})();
    const charts = document.querySelectorAll('.js-plotly-plot');
    return charts.length === before.length
        && Array.from(charts).every((g, i) => drawn(g) && now[i] !== before[i])
        && document.querySelector('[data-testid="stApp"]')
            .getAttribute('data-test-script-state') === 'notRunning'
        && performance.now();
}}"""
# Each timed change starts from a settled page: this long after the last one was drawn
# whole, so no work of one change is counted in the next.
SETTLE_MS = 1000
STEPS_SLIDER = '[data-testid="stSidebar"] .st-key-steps input[type=range]'
# The worst case: every optimizer of the article's race at the most steps a link allows,
# then Adam's learning rate (a select_slider) moved one value.
WORST_OPTIMIZERS = (
    "gd", "sgd", "minibatch", "momentum", "adagrad", "rmsprop", "adam", "adamw", "newton",
    "newton_reg",
)  # fmt: skip
WORST_QUERY = f"?steps=5000&opt={','.join(WORST_OPTIMIZERS)}"
LR_SLIDER = '[data-testid="stSidebar"] .st-key-adam-lr input[type=range]'
# Adam's settings: a lazy expander (ui.lazy), its key a CSS class with "." as "-".
LR_EXPANDER = f'[data-testid="stSidebar"] .st-key-{lazy.key("adam").replace(".", "-")} summary'
TIMEOUT_MS = 300_000


def time_load(browser, url: str) -> tuple[float, float, object]:
    """Seconds from navigation to the chart drawn and to the whole page drawn, in a fresh
    context; and the page."""
    context = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(url, wait_until="commit")
    drawn_ms = page.wait_for_function(DRAWN_AT_JS).json_value()
    whole_ms = page.wait_for_function(PAGE_DRAWN_AT_JS).json_value()
    return drawn_ms / 1e3, whole_ms / 1e3, page


def time_update(page, control: str = STEPS_SLIDER) -> tuple[float, float]:
    """Seconds from pressing → on the focused ``control`` (by default the Steps slider:
    +10 steps, a value not yet computed) to the main chart drawn with the new data, and
    to every chart drawn with it (the page redrawn); then let the page settle."""
    before = page.evaluate(SIGNATURES_JS)
    page.locator(control).focus()
    start_ms = page.evaluate("performance.now()")
    page.keyboard.press("ArrowRight")
    chart_ms = page.wait_for_function(CHANGED_AT_JS, arg=before).json_value()
    page_ms = page.wait_for_function(PAGE_CHANGED_AT_JS, arg=before).json_value()
    settle(page)
    return (chart_ms - start_ms) / 1e3, (page_ms - start_ms) / 1e3


def settle(page) -> None:
    """Wait for the whole page drawn, then SETTLE_MS more."""
    page.wait_for_function(PAGE_DRAWN_JS)
    page.wait_for_timeout(SETTLE_MS)


def _or_timeout(timed, *args) -> tuple[float, float]:
    """``timed(*args)``, or infinities if the page did not get there within TIMEOUT_MS."""
    from playwright.sync_api import TimeoutError as PageTimeout

    try:
        return timed(*args)
    except PageTimeout:
        return math.inf, math.inf


@dataclasses.dataclass
class Measures:
    loads: list[float]  # the app's default page, to its chart drawn
    wholes: list[float]  # the same loads, to the whole page drawn
    bare_loads: list[float]  # the bare one-slider page, loaded in turn with the app
    updates: list[tuple[float, float]]  # Steps +10 on the default page: chart, page
    worst: list[tuple[float, float]]  # Adam's lr, ten optimizers at 5000 steps: the same
    version: str


def measure(repeats: int) -> Measures:
    """Load and update times (seconds, after one untimed warm-up each) and the
    browser's version."""
    from playwright.sync_api import sync_playwright

    from bench.classroom import serve_bare

    executable = find_chromium()
    if executable is None:
        raise SystemExit(f"Chromium not found at {DEFAULT_CHROMIUM}; set CHROMIUM_PATH")
    with serve_app() as base, serve_bare() as bare, sync_playwright() as p:
        browser = launch_chromium(p, executable)
        try:
            # Warm-up: the server's first run imports and fills its caches.
            *_, page = time_load(browser, base)
            time_update(page)
            page.context.close()
            time_load(browser, bare.base)[-1].context.close()
            loads, wholes, bare_loads = [], [], []
            for _ in range(repeats):
                drawn, whole, page = time_load(browser, base)
                loads.append(drawn)
                wholes.append(whole)
                page.context.close()
                drawn, _, page = time_load(browser, bare.base)
                bare_loads.append(drawn)
                page.context.close()
            *_, page = time_load(browser, base)
            settle(page)
            updates = [time_update(page) for _ in range(repeats)]
            page.context.close()
            *_, page = time_load(browser, base + WORST_QUERY)
            page.locator(LR_EXPANDER).click()  # Adam's settings start folded
            page.locator(LR_SLIDER).wait_for()
            settle(page)
            worst = [_or_timeout(time_update, page, LR_SLIDER) for _ in range(repeats)]
            page.context.close()
            return Measures(loads, wholes, bare_loads, updates, worst, browser.version)
        finally:
            browser.close()


# --- report ---------------------------------------------------------------------------


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def _row(label: str, value: str, target: str = "", verdict: str = "") -> str:
    return f"   {label:<34} {value:>10}   {target:<8} {verdict}".rstrip()


def _each(seconds: list[float]) -> str:
    return ", ".join(f"{s:.2f} s" for s in seconds)


def _change_rows(times: list[tuple[float, float]], target: str, limit: float) -> list[bool]:
    """The rows of a timed change: to the main chart redrawn and to the page redrawn
    (every chart), each against ``limit``; their verdicts."""
    verdicts = []
    for label, seconds in zip(
        ("-> main chart drawn with the new run", "-> every chart redrawn, script done"),
        zip(*times, strict=True),
        strict=True,
    ):
        median = statistics.median(seconds)
        verdicts.append(median <= limit)
        print(f"   {label}")
        print("   each: " + _each(list(seconds)))
        print(_row("median", f"{median:.2f} s", target, _verdict(verdicts[-1])))
    return verdicts


def _load_average() -> float | None:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else None


def _environment(chromium: str, loads: tuple[float | None, float | None]) -> str:
    import plotly
    import streamlit

    start, end = loads
    load = "" if start is None else f", load average {start:.2f} at start, {end:.2f} at end"
    return (
        f"Python {platform.python_version()}, Streamlit {streamlit.__version__}, "
        f"Plotly {plotly.__version__}, Chromium {chromium}, "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs{load}"
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench browser",
        description="Time the app in headless Chromium: navigation to the chart drawn, "
        "and a control change to the chart redrawn.",
    )
    parser.add_argument(
        "--repeats",
        type=positive_int,
        default=REPEATS,
        metavar="N",
        help=f"page loads and control changes timed, median taken (default {REPEATS})",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print("Optimizer Lab: browser benchmark (streamlit run app.py, headless Chromium)")
    load_before = _load_average()
    m = measure(args.repeats)
    print(_environment(m.version, (load_before, _load_average())))
    print(f"Workload: the default page at 1400x1000; median of {args.repeats}, after a warm-up")
    print()
    load_s, bare_s = statistics.median(m.loads), statistics.median(m.bare_loads)
    ratio = load_s / bare_s
    load_ok, ratio_ok = load_s <= TARGET_LOAD_S, ratio <= TARGET_LOAD_RATIO
    print("1. Load: navigation -> main chart drawn; each a fresh browser context (cold cache)")
    print("   each: " + _each(m.loads))
    print(_row("median", f"{load_s:.2f} s", f"<= {TARGET_LOAD_S:g} s", _verdict(load_ok)))
    print("   bare page (one select_slider, one chart of 1,001 points), loaded in turn:")
    print("   each: " + _each(m.bare_loads))
    print(_row("median", f"{bare_s:.2f} s"))
    target = f"<= {TARGET_LOAD_RATIO:g}x"
    print(_row("ratio app / bare page", f"{ratio:.2f}x", target, _verdict(ratio_ok)))
    whole_s = statistics.median(m.wholes)
    print("   the app's whole page (controls, panels, formulas, summary), same loads:")
    print("   each: " + _each(m.wholes))
    print(_row("median", f"{whole_s:.2f} s"))
    print(_row("ratio whole page / bare page", f"{whole_s / bare_s:.2f}x"))
    print()
    print("2. Update: Steps slider +10 (keyboard), from a settled page")
    update_ok = _change_rows(m.updates, f"<= {TARGET_UPDATE_S:g} s", TARGET_UPDATE_S)
    print()
    print(f"3. Worst case: {len(WORST_OPTIMIZERS)} optimizers at 5000 steps; Adam's lr one value")
    print("   up (keyboard), from a settled page")
    worst_ok = _change_rows(m.worst, f"< {TARGET_WORST_S:g} s", TARGET_WORST_S)
    print()
    verdicts = [load_ok, ratio_ok, *update_ok, *worst_ok]
    print(f"4. Targets: {sum(verdicts)} PASS, {len(verdicts) - sum(verdicts)} MISS")
    return 0
