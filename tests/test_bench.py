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


def test_unknown_benchmark_is_refused_with_the_list():
    done = bench("nope")
    assert done.returncode == 2
    assert "engine" in done.stderr
