"""``python -m bench engine``: how fast the numerical core is, beside its targets.

1. Sweep: Adam on the article's function from x0 = -20 for 1000 steps, 10,000 learning
   rates (logspace(-3, 1)) in one vectorised summary-mode run; best of N repeats.
2. The same work done the article's way: a plain Python loop over floats, one
   configuration at a time, timed on an evenly spaced sample and extrapolated; the
   ratio vectorised / scalar; and a sanity check that both reach the same final x.
3. One 1000-step run of each optimizer at batch 1, as the page draws one curve: the
   median of 5 timings after one untimed warm-up.
4. The targets beside the figures, PASS or MISS. The exit code is 0 either way: a
   benchmark reports, tests assert.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import platform
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np

import functions
import optimizers

FUNCTION = "article"
X0 = -20.0
STEPS = 1000
LR_LOG10 = (-3, 1)  # learning rates: np.logspace(-3, 1, configs)
CONFIGS, SAMPLE, REPEATS = 10_000, 50, 3
QUICK_CONFIGS, QUICK_SAMPLE, QUICK_REPEATS = 1_000, 5, 1
SINGLE_REPEATS = 5
# Both loops do the same float64 operations in the same order, so they normally agree
# to the last bit; the tolerance only absorbs a libm that rounds sin/cos differently.
AGREE_ATOL = 1e-9

TARGET_STEPS_PER_S = 20e6
TARGET_RATIO = 40.0
TARGET_SINGLE_MS = 15.0


def article_adam(
    lr: float,
    lib: Any = np,
    x0: float = X0,
    steps: int = STEPS,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
) -> float:
    """Adam on the article's function, the article's way: one run, plain Python floats
    with NumPy's sin, cos and sqrt (``lib=math`` gives a hand-tuned variant).

    The maths of ``optimizers.run("adam", ...)`` and its order of operations (torch's:
    eps is added after dividing sqrt(v) by sqrt(1 - beta2^t)). The textbook spelling
    lr * m_hat / (sqrt(v_hat) + eps) is equal on paper but rounds differently, and on
    this landscape of many minima a last-digit difference sends about one run in six
    (31 of a 200-run sample) to another minimum, which would drown a real disagreement.
    """
    x, m, v = x0, 0.0, 0.0
    for t in range(1, steps + 1):
        g = 0.045 * x - lib.sin(x) + lib.cos(3 * x) - lib.sin(5 * x) + lib.cos(7 * x)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * (g * g)
        bias1 = 1 - beta1**t
        bias2 = 1 - beta2**t
        step_size = lr / bias1
        denom = lib.sqrt(v) / lib.sqrt(bias2) + eps
        x = x - step_size * (m / denom)
    return float(x)


def _timed(work: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds ``work()`` takes, with the garbage collector off (as timeit does)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter()
        result = work()
        return time.perf_counter() - start, result
    finally:
        if was_enabled:
            gc.enable()


def _best_of(work: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    runs = [_timed(work) for _ in range(repeats)]
    return min(r[0] for r in runs), runs[-1][1]


def measure_sweep(fn: functions.Objective, lrs: np.ndarray, repeats: int):
    """Best wall time of the vectorised sweep, and its final x per learning rate."""
    seconds, traj = _best_of(
        lambda: optimizers.run("adam", fn, x0=X0, steps=STEPS, summary=True, lr=lrs), repeats
    )
    return seconds, traj.x_final


def measure_scalar(lrs: np.ndarray, repeats: int, lib: Any = np):
    """Best wall time of the scalar loop over ``lrs``, and its final x per lr."""
    hp = optimizers.get("adam").defaults
    kwargs = {k: float(hp[k]) for k in ("beta1", "beta2", "eps")}
    seconds, xs = _best_of(lambda: [article_adam(float(lr), lib, **kwargs) for lr in lrs], repeats)
    return seconds, np.array(xs)


def measure_singles(fn: functions.Objective, repeats: int) -> dict[str, float]:
    """Median milliseconds of one full-trajectory run per optimizer, batch 1."""
    out = {}
    for name in optimizers.OPTIMIZERS:
        optimizers.run(name, fn, x0=X0, steps=STEPS)  # warm-up, untimed
        times = [
            _timed(lambda n=name: optimizers.run(n, fn, x0=X0, steps=STEPS))[0]
            for _ in range(repeats)
        ]
        out[name] = 1e3 * statistics.median(times)
    return out


def agreement(x_vec: np.ndarray, x_scalar: np.ndarray) -> tuple[bool, float]:
    """Whether two sets of final x agree within AGREE_ATOL, and the max abs difference."""
    diff = np.abs(x_vec - x_scalar)
    diff = np.where(np.isnan(x_vec) & np.isnan(x_scalar), 0.0, diff)
    worst = float(np.max(diff))  # NaN when only one side is NaN: then they disagree
    return bool(worst <= AGREE_ATOL), worst


# --- report ---------------------------------------------------------------------------


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def _seconds(s: float) -> str:
    return f"{s:.3f} s" if s >= 1 else f"{1e3 * s:.1f} ms"


def _rate(steps_per_s: float) -> str:
    return f"{steps_per_s / 1e6:.2f} M steps/s"


def _times(n: int) -> str:
    return f"{n} repeat" if n == 1 else f"{n} repeats"


RATE_TARGET = f">= {TARGET_STEPS_PER_S / 1e6:g} M steps/s"
RATIO_TARGET = f">= {TARGET_RATIO:g}x"
SINGLE_TARGET = f"<= {TARGET_SINGLE_MS:g} ms"


def _row(label: str, value: str, target: str = "", verdict: str = "") -> str:
    return f"   {label:<30} {value:>16}   {target:<18} {verdict}".rstrip()


def _environment() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            names = [ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    load = f", load average {os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else ""
    return (
        f"Python {platform.python_version()}, NumPy {np.__version__}, "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs ({cpu}){load}"
    )


def positive_int(text: str) -> int:
    """An argparse type for counts: a whole number, at least 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench engine",
        description="Time the vectorised optimizer runner against a scalar Python loop "
        "and against its targets.",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"smoke test: {QUICK_CONFIGS:,} configurations, a {QUICK_SAMPLE}-run scalar "
        f"sample, {QUICK_REPEATS} repeat (figures not comparable with the targets)",
    )
    parser.add_argument(
        "--repeats",
        type=positive_int,
        metavar="N",
        help=f"repeats of the sweep and of the scalar sample, best taken "
        f"(default {REPEATS}, {QUICK_REPEATS} with --quick)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    configs, sample = (QUICK_CONFIGS, QUICK_SAMPLE) if args.quick else (CONFIGS, SAMPLE)
    repeats = args.repeats or (QUICK_REPEATS if args.quick else REPEATS)
    fn = functions.get(FUNCTION)
    lrs = np.logspace(*LR_LOG10, configs)
    lo, hi = LR_LOG10

    print("Optimizer Lab: engine benchmark")
    print(_environment())
    print(
        f"Workload: Adam on {FUNCTION!r} from x0 = {X0:g}, {STEPS:,} steps, "
        f"lr = logspace({lo}, {hi}, {configs:,})"
    )
    if args.quick:
        print("QUICK smoke test: fewer configurations; figures are not comparable with targets.")

    # 1. Vectorised sweep.
    sweep_s, x_vec = measure_sweep(fn, lrs, repeats)
    sweep_rate = configs * STEPS / sweep_s
    rate_ok = sweep_rate >= TARGET_STEPS_PER_S
    print()
    print(f"1. Vectorised sweep, optimizers.run(summary=True): best of {_times(repeats)}")
    print(_row("configurations x steps", f"{configs:,} x {STEPS:,}"))
    print(_row("wall time", _seconds(sweep_s)))
    print(_row("throughput", _rate(sweep_rate), RATE_TARGET, _verdict(rate_ok)))

    # 2. The article's scalar loop on an evenly spaced sample of the same learning rates.
    idx = np.unique(np.linspace(0, configs - 1, sample).round().astype(int))
    scalar_s, x_scalar = measure_scalar(lrs[idx], repeats)
    scalar_rate = idx.size * STEPS / scalar_s
    ratio = sweep_rate / scalar_rate
    ratio_ok = ratio >= TARGET_RATIO
    agree, worst = agreement(x_vec[idx], x_scalar)
    print()
    print(f"2. Scalar Python loop, one configuration at a time: best of {_times(repeats)}")
    print(_row("configurations x steps", f"{idx.size:,} x {STEPS:,}"))
    print(_row("wall time", _seconds(scalar_s)))
    print(_row(f"extrapolated to {configs:,}", _seconds(scalar_s * configs / idx.size)))
    print(_row("throughput", _rate(scalar_rate)))
    print(_row("ratio vectorised / scalar", f"{ratio:.1f}x", RATIO_TARGET, _verdict(ratio_ok)))
    math_s, _ = measure_scalar(lrs[idx], repeats, math)
    math_rate = idx.size * STEPS / math_s
    print(_row("hand-tuned loop (math module)", _rate(math_rate)))
    print(_row("ratio vectorised / hand-tuned", f"{sweep_rate / math_rate:.1f}x"))
    print(
        f"   agree: {'yes' if agree else 'no'} (max |x_vectorised - x_scalar| = {worst:.3g} "
        f"over {idx.size} learning rates, tolerance {AGREE_ATOL:g})"
    )

    # 3. Single runs at batch 1.
    singles = measure_singles(fn, SINGLE_REPEATS)
    slowest = max(singles, key=singles.__getitem__)
    single_ok = singles[slowest] <= TARGET_SINGLE_MS
    print()
    print(
        f"3. Single runs, batch 1: scalar x0 = {X0:g}, {STEPS:,} steps, default "
        f"hyperparameters,\n   full trajectory; median of {SINGLE_REPEATS} after a warm-up"
    )
    for name, ms in singles.items():
        ok = ms <= TARGET_SINGLE_MS
        print(_row(name, f"{ms:.2f} ms", SINGLE_TARGET, _verdict(ok)))

    # 4. Targets.
    verdicts = [rate_ok, ratio_ok, single_ok]
    print()
    print(f"4. Targets: {sum(verdicts)} PASS, {len(verdicts) - sum(verdicts)} MISS")
    print(_row("figure", "measured", "target", "verdict"))
    print(_row("sweep throughput", _rate(sweep_rate), RATE_TARGET, _verdict(rate_ok)))
    print(_row("vectorised / scalar", f"{ratio:.1f}x", RATIO_TARGET, _verdict(ratio_ok)))
    slow = f"slowest single run ({slowest})"
    print(_row(slow, f"{singles[slowest]:.2f} ms", SINGLE_TARGET, _verdict(single_ok)))
    return 0
