"""The benchmark command runs and reports; no timing is asserted (timings are not tests)."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def bench(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bench", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_engine_quick_reports_throughput_and_ratio():
    done = bench("engine", "--quick")
    assert done.returncode == 0, done.stderr
    assert re.search(r"throughput +\d+\.\d+ M steps/s", done.stdout), done.stdout
    assert re.search(r"ratio vectorised / scalar +\d+\.\d+x", done.stdout), done.stdout
    assert re.search(r"agree: (yes|no) ", done.stdout), done.stdout


def test_tune_quick_reports_the_time_for_every_optimizer():
    done = bench("tune", "--quick", "--schedule", "cosine")
    assert done.returncode == 0, done.stderr
    assert re.search(r"tuning time +\d+(\.\d+)? m?s", done.stdout), done.stdout
    for name in ("gd", "sgd", "adam", "adamw"):
        assert re.search(rf"^   {name} +\d", done.stdout, re.M), done.stdout
    assert re.search(r"tune all optimizers .* (PASS|MISS)", done.stdout), done.stdout


def test_page_reports_both_ratios_for_the_moved_slider():
    done = bench("page", "--repeats", "1", "--warmup", "0")
    assert done.returncode == 0, done.stderr
    assert "'adamw.lr' select_slider" in done.stdout, done.stdout
    for case in ("new value", "cycled"):
        assert re.search(rf"ratio app / bare \({case}\) +\d+\.\d+x", done.stdout), done.stdout


def test_unknown_benchmark_is_refused_with_the_list():
    done = bench("nope")
    assert done.returncode == 2
    assert "engine" in done.stderr


def test_classroom_smoke_run_has_no_errors_and_reports_every_figure():
    done = bench(
        "classroom",
        "--students",
        "2",
        "--moves",
        "1",
        "--solo-moves",
        "1",
        "--pause",
        "0",
        "--rounds",
        "2",
    )
    assert done.returncode == 0, done.stderr
    assert re.search(r"errors +0 +0\n", done.stdout), done.stdout
    assert "2 classes per page, taking turns" in done.stdout, done.stdout
    for figure in ("slider move p95", "first load p50", "sent per slider rerun", "server RSS peak"):
        assert re.search(rf"{figure}.* \d", done.stdout), done.stdout


def test_classroom_student_reports_an_exception_on_the_page(tmp_path):
    from bench.browser import serve
    from bench.classroom import run_class

    script = tmp_path / "broken.py"
    script.write_text("import streamlit as st\nst.slider('x', key='k')\nraise ValueError('boom')\n")
    with serve(script, "--server.enableXsrfProtection", "false") as server:
        (result,) = run_class(server.base, 1, key="k", moves=1, pause=0)
    assert result.session_ids and result.session_ids[0]
    assert any("boom" in e for e in result.errors), result.errors


def test_the_server_runs_on_uvloop(tmp_path):
    """requirements.txt installs uvloop; Streamlit then runs its event loop on it, which
    coalesces the wake-ups a rerun's elements cause (python -m bench classroom). The page,
    run by the server, writes down the class of each running event loop in its process:
    if uvloop's loop cannot be made, Streamlit falls back to asyncio's with a log line."""
    from bench.browser import serve
    from bench.classroom import run_class

    found = tmp_path / "loops.txt"
    script = tmp_path / "page.py"
    script.write_text(
        "import asyncio, gc, pathlib\n"
        "import streamlit as st\n"
        "loops = {type(o).__module__ + '.' + type(o).__qualname__ for o in gc.get_objects()\n"
        "         if isinstance(o, asyncio.AbstractEventLoop) and o.is_running()}\n"
        f"pathlib.Path({str(found)!r}).write_text(' '.join(sorted(loops)))\n"
        "st.slider('x', key='k')\n"
    )
    with serve(script, "--server.enableXsrfProtection", "false") as server:
        (result,) = run_class(server.base, 1, key="k", moves=1, pause=0)
    assert not result.errors, result.errors
    loops = found.read_text().split()
    assert loops and all(loop.startswith("uvloop.") for loop in loops), loops
