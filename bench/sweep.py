"""``python -m bench sweep``: the Explore section's sweep map, beside its target.

1. The map as the page computes it: ``viz.explore.sweep`` for Adam on the article's
   function from x0 = -20, 100 learning rates (log-spaced over the lr spec's range)
   x 100 values of beta1 (or of x0 with ``--axis x0``), 1000 steps each: one
   vectorised summary-mode run; best of N repeats.
2. The same cells done the article's way: a plain Python loop per cell
   (``bench.engine.article_adam``), timed on an evenly spaced sample of cells and
   extrapolated to the whole map; the ratio; and a check that both reach the same x.
3. The target: the whole map in under a second. The exit code is 0 either way: a
   benchmark reports, tests assert.
"""

from __future__ import annotations

import argparse

import numpy as np

import optimizers
from bench.engine import (
    AGREE_ATOL,
    _best_of,
    _environment,
    _rate,
    _row,
    _seconds,
    _times,
    _verdict,
    agreement,
    article_adam,
    positive_int,
)
from viz import explore
from viz.config import Config

OPTIMIZER = "adam"
AXES = ("beta1", "x0")
N, SAMPLE, REPEATS = 100, 50, 3
QUICK_N, QUICK_SAMPLE, QUICK_REPEATS = 20, 5, 1
TARGET_S = 1.0


def measure_map(cfg: Config, axis: str, n: int, repeats: int):
    """Best wall time of the page's sweep call, and the Sweep it returned."""
    return _best_of(lambda: explore.sweep(cfg, OPTIMIZER, axis, n=n), repeats)


def measure_cells(sw: explore.Sweep, cfg: Config, cells: np.ndarray, repeats: int):
    """Best wall time of the scalar loop over ``cells`` (flat indices into the map),
    and its final x per cell."""
    hp = cfg.hparams_of(OPTIMIZER)
    base = {"x0": float(cfg.start), **{k: float(hp[k]) for k in ("beta1", "beta2", "eps")}}
    jobs = [
        (float(sw.lr[j]), {**base, sw.y_axis: float(sw.y[i])})
        for i, j in zip(*np.unravel_index(cells, sw.x_final.shape), strict=True)
    ]
    seconds, xs = _best_of(
        lambda: [article_adam(lr, np, steps=cfg.steps, **kw) for lr, kw in jobs], repeats
    )
    return seconds, np.array(xs)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench sweep",
        description="Time the Explore sweep map (Adam, lr x beta1 or lr x x0) against a "
        "scalar Python loop and against its target.",
    )
    parser.add_argument(
        "--axis", choices=AXES, default=AXES[0], help="the second axis (default beta1)"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"smoke test: a {QUICK_N} x {QUICK_N} map, a {QUICK_SAMPLE}-cell scalar sample, "
        f"{QUICK_REPEATS} repeat (figures not comparable with the target)",
    )
    parser.add_argument(
        "--repeats",
        type=positive_int,
        metavar="N",
        help=f"repeats of the map and of the scalar sample, best taken "
        f"(default {REPEATS}, {QUICK_REPEATS} with --quick)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    n, sample = (QUICK_N, QUICK_SAMPLE) if args.quick else (N, SAMPLE)
    repeats = args.repeats or (QUICK_REPEATS if args.quick else REPEATS)
    cfg = Config(function="article", optimizers=(OPTIMIZER,))
    cells = n * n
    lr = optimizers.get(OPTIMIZER).hparam("lr")

    print("Optimizer Lab: sweep-map benchmark")
    print(_environment())
    print(
        f"Workload: {OPTIMIZER} on {cfg.function!r} from x0 = {cfg.start:g}, {cfg.steps:,} "
        f"steps, lr = geomspace({lr.lo:g}, {lr.hi:g}, {n}) x {args.axis} ({n} values)"
    )
    if args.quick:
        print("QUICK smoke test: a smaller map; figures are not comparable with the target.")

    map_s, sw = measure_map(cfg, args.axis, n, repeats)
    ok = map_s < TARGET_S
    target = f"< {TARGET_S:g} s"
    print()
    print(f"1. Sweep map, viz.explore.sweep (one vectorised run): best of {_times(repeats)}")
    print(_row("cells x steps", f"{cells:,} x {cfg.steps:,}"))
    print(_row("wall time", _seconds(map_s), target, _verdict(ok)))
    print(_row("throughput", _rate(cells * cfg.steps / map_s)))
    print(_row("diverged cells", f"{int(sw.diverged.sum()):,} of {cells:,}"))

    idx = np.unique(np.linspace(0, cells - 1, sample).round().astype(int))
    scalar_s, x_scalar = measure_cells(sw, cfg, idx, repeats)
    whole_s = scalar_s * cells / idx.size
    agree, worst = agreement(sw.x_final.ravel()[idx], x_scalar)
    print()
    print(f"2. Scalar Python loop, one cell at a time: best of {_times(repeats)}")
    print(_row("cells x steps", f"{idx.size:,} x {cfg.steps:,}"))
    print(_row("wall time", _seconds(scalar_s)))
    print(_row(f"extrapolated to {cells:,} cells", _seconds(whole_s)))
    print(_row("ratio vectorised / scalar", f"{whole_s / map_s:.1f}x"))
    print(
        f"   agree: {'yes' if agree else 'no'} (max |x_map - x_scalar| = {worst:.3g} "
        f"over {idx.size} cells, tolerance {AGREE_ATOL:g})"
    )

    print()
    print(f"3. Target: {_verdict(ok)}")
    print(_row("figure", "measured", "target", "verdict"))
    print(_row("sweep map", _seconds(map_s), target, _verdict(ok)))
    return 0
