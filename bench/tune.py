"""``python -m bench tune``: the fair race's tuning, for every optimizer that has an lr.

What the page's tune button computes (``viz.tune.tune_all``): each optimizer's lr
slider values (ten a decade over its range) in one vectorised summary-mode run, the
noisy ones over ``viz.tune.SEEDS`` seeds, on the article's function from its start
for the default 1000 steps; best of N repeats, then each optimizer alone. The target:
all of them in under a second. The exit code is 0 either way: a benchmark reports,
tests assert.
"""

from __future__ import annotations

import argparse
import time

import optimizers
from bench.engine import _best_of, _environment, _row, _seconds, _times, _verdict, positive_int
from viz import tune
from viz.config import Config, has_lr

REPEATS, QUICK_REPEATS, QUICK_STEPS = 3, 1, 50
TARGET_S = 1.0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench tune",
        description="Time tuning every optimizer's learning rate, as the tune button does.",
    )
    parser.add_argument(
        "--schedule",
        choices=tuple(optimizers.SCHEDULES),
        default="constant",
        help="the learning-rate schedule the runs use (default constant)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"smoke test: {QUICK_STEPS} steps, {QUICK_REPEATS} repeat (figures not "
        "comparable with the target)",
    )
    parser.add_argument(
        "--repeats",
        type=positive_int,
        metavar="N",
        help=f"repeats, best taken (default {REPEATS}, {QUICK_REPEATS} with --quick)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    repeats = args.repeats or (QUICK_REPEATS if args.quick else REPEATS)
    names = tuple(n for n in optimizers.OPTIMIZERS if has_lr(n))
    cfg = Config(optimizers=names, schedule=args.schedule)
    if args.quick:
        cfg = Config(optimizers=names, schedule=args.schedule, steps=QUICK_STEPS)
    noisy = [n for n in names if optimizers.get(n).noise_scale is not None]
    runs = sum(tune.grid(n).size * (tune.SEEDS if n in noisy else 1) for n in names)

    print("Optimizer Lab: tuning benchmark (the fair race)")
    print(_environment())
    print(
        f"Workload: {len(names)} optimizers on {cfg.function!r} from x0 = {cfg.start:g}, "
        f"{cfg.steps:,} steps, schedule {cfg.schedule}; {tune.grid(names[0]).size} learning "
        f"rates each, x {tune.SEEDS} seeds for {', '.join(noisy)}: {runs:,} runs"
    )
    if args.quick:
        print("QUICK smoke test: fewer steps; figures are not comparable with the target.")

    total_s, results = _best_of(lambda: tune.tune_all(cfg), repeats)
    ok = total_s < TARGET_S
    target = f"< {TARGET_S:g} s"
    print()
    print(f"1. Every optimizer, viz.tune.tune_all: best of {_times(repeats)}")
    print(_row("tuning time", _seconds(total_s), target, _verdict(ok)))
    print()
    print("2. Each optimizer alone (one vectorised run each), and its tuned lr")
    for name in names:
        start = time.perf_counter()
        tune.tune(cfg, name)
        seconds = time.perf_counter() - start
        lr = results[name].lr
        print(_row(name, _seconds(seconds), "lr = —" if lr is None else f"lr = {lr:g}"))
    print()
    print(f"3. Target: {_verdict(ok)}")
    print(_row("figure", "measured", "target", "verdict"))
    print(_row("tune all optimizers", _seconds(total_s), target, _verdict(ok)))
    return 0
