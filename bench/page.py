"""``python -m bench page``: what a rerun of the page costs on the server, beside the
least any page showing the same chart can cost.

1. The app (AppTest, no browser): the default page opened as a browser opens it, with
   AdamW's settings open, then its learning rate (the ``adamw.lr`` select_slider) set
   before each rerun, and ``at.run()`` timed.
   a. A new value each rerun: nothing cached for it yet, as when a student drags the
      slider to somewhere new. Values are new to this process (run first).
   b. A few values cycled: every rerun hits the caches, as when a student goes back.
2. A bare page that only draws a chart of the same size: the app's main chart, its
   JSON saved to a temporary file, read back each rerun with ``plotly.io.from_json``
   and drawn with ``st.plotly_chart`` under a title that changes every rerun.
3. The ratios app / bare page beside the target, PASS or MISS. Medians of N reruns
   after warm-ups. The exit code is 0 either way: a benchmark reports, tests assert.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.engine import positive_int
from ui import first_paint, lazy

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
OPTIMIZER = "adamw"  # one of the default page's, so the link needs no query
CONTROL = f"{OPTIMIZER}.lr"
CYCLE = (0.05, 0.1, 0.2)
REPEATS, WARMUP = 15, 2
TARGET_RATIO = 2.0
TIMEOUT_S = 120

BARE_PAGE = '''"""A bare page: one Plotly chart, rebuilt from JSON on every rerun."""
import plotly.io as pio
import streamlit as st

st.session_state["reruns"] = st.session_state.get("reruns", 0) + 1
with open({spec!r}, encoding="utf-8") as f:
    fig = pio.from_json(f.read())
fig.update_layout(title=f"Rerun {{st.session_state['reruns']}}")
st.plotly_chart(fig)
'''


def _checked_run(at) -> float:
    """Seconds one ``at.run()`` takes; an exception on the page aborts the benchmark."""
    start = time.perf_counter()
    at.run(timeout=TIMEOUT_S)
    seconds = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(f"the page raised: {at.exception[0].value}")
    return seconds


def time_reruns(at, change: Callable[[int], None], repeats: int, warmup: int) -> list[float]:
    """Seconds of each timed rerun: ``change(i)`` then ``at.run()``, warm-ups dropped."""
    times = []
    for i in range(warmup + repeats):
        change(i)
        seconds = _checked_run(at)
        if i >= warmup:
            times.append(seconds)
    return times


def app_page():
    """The default page as a student has it: opened as a browser opens it, then
    ``OPTIMIZER``'s settings opened (the page draws them only while open)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    _checked_run(at)
    if asks_for_rest(at):
        _checked_run(at)
    at.session_state[lazy.key(OPTIMIZER)] = True
    _checked_run(at)
    return at


def asks_for_rest(at) -> bool:
    """Whether the page's run drew only the race's chart and holds the component that
    asks for the rest (ui.first_paint): a browser then reruns at once."""
    return any(first_paint.is_request(e.proto.id) for e in at.get("bidi_component"))


def new_values(at, n: int) -> list[float]:
    """``n`` values of the control's slider, none the current one nor in CYCLE, spread
    over its options."""
    current = at.select_slider(key=CONTROL).value
    options = [float(o) for o in at.select_slider(key=CONTROL).options]
    free = [v for v in options if v != current and v not in CYCLE]
    if len(free) < n:
        raise RuntimeError(f"{CONTROL} offers {len(free)} new values, {n} needed")
    step = len(free) / n
    return [free[int(i * step)] for i in range(n)]


def measure_app(repeats: int, warmup: int) -> tuple[list[float], list[float], str]:
    """Rerun times with new values, with cycled values, and the main chart's JSON."""
    at = app_page()
    spec = at.get("plotly_chart")[0].proto.spec
    values = new_values(at, warmup + repeats)

    def set_new(i: int) -> None:
        at.select_slider(key=CONTROL).set_value(values[i])

    def set_cycled(i: int) -> None:
        at.select_slider(key=CONTROL).set_value(CYCLE[i % len(CYCLE)])

    fresh = time_reruns(at, set_new, repeats, warmup)
    cycled = time_reruns(at, set_cycled, repeats, max(warmup, len(CYCLE)))
    return fresh, cycled, spec


def measure_bare(spec: str, repeats: int, warmup: int) -> list[float]:
    from streamlit.testing.v1 import AppTest

    with tempfile.TemporaryDirectory() as tmp:
        spec_path = Path(tmp, "figure.json")
        spec_path.write_text(spec, encoding="utf-8")
        script = Path(tmp, "bare_page.py")
        script.write_text(BARE_PAGE.format(spec=str(spec_path)), encoding="utf-8")
        at = AppTest.from_file(str(script), default_timeout=TIMEOUT_S)
        return time_reruns(at, lambda i: None, repeats, warmup)


# --- report ---------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    return f"{1e3 * seconds:.0f} ms"


def _reruns(n: int) -> str:
    return f"{n} rerun" if n == 1 else f"{n} reruns"


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def _row(label: str, value: str, target: str = "", verdict: str = "") -> str:
    return f"   {label:<38} {value:>10}   {target:<8} {verdict}".rstrip()


def _environment() -> str:
    import plotly
    import streamlit

    load = f", load average {os.getloadavg()[0]:.2f} at start" if hasattr(os, "getloadavg") else ""
    return (
        f"Python {platform.python_version()}, Streamlit {streamlit.__version__}, "
        f"Plotly {plotly.__version__}, {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs{load}"
    )


def _figure_size(spec: str) -> str:
    fig = json.loads(spec)
    return (
        f"{len(fig.get('data', []))} traces, {len(fig.get('frames', []))} frames, "
        f"{len(spec.encode()) / 1e3:.0f} KB of JSON"
    )


def _quiet_streamlit() -> None:
    """AppTest runs scripts outside a server, and Streamlit warns about it ("missing
    ScriptRunContext") on cache calls; those lines would only clutter the report."""
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "missing ScriptRunContext" not in record.getMessage()
    )


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be at least 0, got {value}")
    return value


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench page",
        description="Time AppTest reruns of the page after a slider change, beside a bare "
        "page drawing a chart of the same size.",
    )
    parser.add_argument(
        "--repeats",
        type=positive_int,
        default=REPEATS,
        metavar="N",
        help=f"timed reruns per case, median taken (default {REPEATS})",
    )
    parser.add_argument(
        "--warmup",
        type=_count,
        default=WARMUP,
        metavar="N",
        help=f"untimed reruns first (default {WARMUP})",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    _quiet_streamlit()
    print("Optimizer Lab: page benchmark (server-side reruns with AppTest, no browser)")
    print(_environment())
    fresh, cycled, spec = measure_app(args.repeats, args.warmup)
    bare = measure_bare(spec, args.repeats, args.warmup)
    app_new, app_cycled, bare_s = (statistics.median(t) for t in (fresh, cycled, bare))
    warm = max(args.warmup, len(CYCLE))
    print(
        f"Workload: the default page; before each rerun the {CONTROL!r} select_slider is "
        f"set.\n   Median of {args.repeats} reruns per case, after {_reruns(args.warmup)} "
        f"untimed ({_reruns(warm)} when cycling, so the caches hold every value)"
    )
    print(f"Bare page: st.plotly_chart of the app's main chart ({_figure_size(spec)})")
    print()
    print(_row("case", "median", "target", "verdict"))
    print(_row("app, a new value each rerun", _ms(app_new)))
    print(_row(f"app, {len(CYCLE)} values cycled (cache hits)", _ms(app_cycled)))
    print(_row("bare page, same chart", _ms(bare_s)))
    target = f"<= {TARGET_RATIO:g}x"
    for label, value in (("new value", app_new), ("cycled", app_cycled)):
        ratio = value / bare_s
        ok = ratio <= TARGET_RATIO
        print(_row(f"ratio app / bare ({label})", f"{ratio:.2f}x", target, _verdict(ok)))
    return 0
