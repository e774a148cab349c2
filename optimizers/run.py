"""The vectorised trajectory runner.

x0 and every numeric hyperparameter may be arrays; they broadcast to one batch shape
and a single Python loop over steps advances the whole batch with NumPy. Large batches
are split across threads (NumPy releases the GIL inside its loops); elements never
interact, so the split changes no digit. A scalar run uses NumPy scalars, which are
several times cheaper per operation than one-element arrays.
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

import functions
from errors import LabError
from functions import Objective
from optimizers.methods import discover
from optimizers.schedules import Schedule
from optimizers.spec import Optimizer

_FOUND = discover()
# The page's picker, in each spec's ``order``; the named variants (no order) are found
# by ``get`` only.
OPTIMIZERS: dict[str, Optimizer] = {
    opt.name: opt
    for opt in sorted((o for o in _FOUND if o.order is not None), key=lambda o: o.order)
}
VARIANTS: dict[str, Optimizer] = {opt.name: opt for opt in _FOUND if opt.order is None}

MAX_STEPS = 100_000
# Values per recorded array ((steps + 1) x batch) in full mode; sweeps use summary mode.
MAX_RECORDED = 10_000_000
# A batch is split across threads only when every thread gets at least this many.
_THREAD_MIN = 4096
# A step that moves x by less than this fraction of the domain's width is "settled".
SETTLE_FRACTION = 1e-6


@dataclass(frozen=True, eq=False)
class Trajectory:
    """What a run did, step by step (full mode) or in summary.

    Per-step arrays have shape (steps + 1, *batch) for x and f (row 0 is the start)
    and (steps, *batch) for ``grad`` and each ``state`` field (row t - 1 is step t).
    ``diverged_at`` is the step at which x overflowed, turned NaN or left the escape
    radius, or, on a confined objective (a typed function), its bounds (-1 if never); from then on x stays at its last good value and the
    gradient and state of later steps are NaN. With a learning-rate ``schedule``,
    ``state["lr"]`` records the lr each step used. ``settled_at`` is the last step that moved x
    by more than ``SETTLE_FRACTION`` of the domain's width (0 if none did).
    """

    optimizer: str
    objective: str
    hparams: dict[str, Any]
    steps: int
    x_final: np.ndarray
    f_final: np.ndarray
    diverged_at: np.ndarray
    settled_at: np.ndarray
    x: np.ndarray | None = None
    f: np.ndarray | None = None
    grad: np.ndarray | None = None
    state: dict[str, np.ndarray] | None = None
    schedule: Schedule | None = None
    f_tail: np.ndarray | None = None  # mean f(x_t) over the last ``tail`` steps

    @property
    def dx(self) -> np.ndarray:
        """The step taken at each step t: x_t - x_{t-1}."""
        return np.diff(self.x, axis=0)

    @property
    def diverged(self) -> np.ndarray:
        return self.diverged_at >= 0


def get(name: str) -> Optimizer:
    """The optimizer ``name``: one of the ten, or one of the article's named variants."""
    try:
        return OPTIMIZERS[name] if name in OPTIMIZERS else VARIANTS[name]
    except KeyError:
        raise LabError("unknown_optimizer", name=name, choices=", ".join(OPTIMIZERS)) from None


def run(
    name: str,
    objective: Objective | str,
    x0: Any = None,
    steps: int = 1000,
    *,
    summary: bool = False,
    schedule: Schedule | None = None,
    tail: int = 0,
    **hparams: Any,
) -> Trajectory:
    """Run optimizer ``name`` on ``objective`` from ``x0`` for ``steps`` steps.

    Hyperparameters not given take their spec defaults. ``summary=True`` keeps only
    the final x and f, ``diverged_at`` and ``settled_at``, for sweeps of any size.
    ``schedule`` (``optimizers.schedule(...)``) sets each step's lr from the base
    ``lr``, as a torch scheduler stepped after every optimizer step; the update rule
    reads it as ``hp["lr"]``. ``tail=k`` also keeps ``f_tail``, the mean of f(x_t)
    over the last k steps (1 <= k <= steps), in summary mode too.
    Raises a LabError (a ValueError) naming the parameter and its allowed range.
    """
    opt = get(name)
    fn = functions.get(objective) if isinstance(objective, str) else objective
    hp = _checked_hparams(opt, hparams)
    steps = _checked_steps(steps)
    if isinstance(tail, bool) or not isinstance(tail, int) or not 0 <= tail <= steps:
        raise LabError("out_of_range", name="tail", value=tail, range=f"[0, {steps}]")
    if schedule is not None and schedule.kind == "constant":
        schedule = None  # the same run, recorded as without one
    if schedule is not None:
        if "lr" not in hp:
            raise LabError("no_lr_to_schedule", name=name)
        schedule.check(steps)
    x0 = np.asarray(fn.x0 if x0 is None else x0)
    if x0.dtype.kind not in "biuf" or not np.all(np.isfinite(x0)):
        raise LabError("not_finite", name="x0", value=x0.tolist())
    x0 = x0.astype(np.float64)

    arrays = {k: v for k, v in hp.items() if isinstance(v, np.ndarray)}
    # A schedule's parameter may vary across the batch too (a sweep map's axis).
    swept = [*arrays.values(), *(schedule.arrays.values() if schedule is not None else ())]
    shape = np.broadcast_shapes(x0.shape, *(v.shape for v in swept))
    n = math.prod(shape)
    if not summary and (steps + 1) * n > MAX_RECORDED:
        raise LabError("batch_too_large", runs=n, steps=steps, limit=MAX_RECORDED)
    if shape == ():
        out = _run_batch(opt, fn, np.float64(x0), hp, steps, summary, schedule, tail)
    else:
        x = np.broadcast_to(x0, shape).ravel().copy()
        flat = {k: np.broadcast_to(v, shape).ravel() for k, v in arrays.items()}
        per_run = schedule and schedule.mapped(lambda v: np.broadcast_to(v, shape).ravel())
        out = _run_split(opt, fn, x, {**hp, **flat}, steps, summary, per_run, tail)
        out = {k: _unflatten(v, shape) for k, v in out.items()}
    return Trajectory(
        optimizer=name, objective=fn.name, hparams=hp, steps=steps, schedule=schedule, **out
    )


def _checked_hparams(opt: Optimizer, given: dict[str, Any]) -> dict[str, Any]:
    known = {hp.name for hp in opt.hparams}
    unknown = sorted(set(given) - known)
    if unknown:
        takes = ", ".join(sorted(known)) or "none"
        raise LabError("unexpected_hparam", name=unknown[0], optimizer=opt.name, choices=takes)
    hp = {}
    for spec in opt.hparams:
        value = spec.check(given.get(spec.name, spec.default))
        hp[spec.name] = np.float64(value) if spec.kind == "float" and np.ndim(value) == 0 else value
    if opt.check:
        opt.check(hp)
    return hp


def _checked_steps(steps: Any) -> int:
    if (
        isinstance(steps, bool)
        or not isinstance(steps, int | np.integer)
        or not (1 <= steps <= MAX_STEPS)
    ):
        raise LabError("out_of_range", name="steps", value=steps, range=f"[1, {MAX_STEPS}]")
    return int(steps)


def _unflatten(value, shape: tuple[int, ...]):
    """Give the flat batch axis (the last) of an output back its shape."""
    if value is None:
        return None
    if isinstance(value, dict):
        return {k: _unflatten(v, shape) for k, v in value.items()}
    return value.reshape(value.shape[:-1] + shape)


def _run_split(opt, fn, x, hp, steps, summary, schedule, tail):
    """Run a flat batch, split across threads when it is large enough."""
    n = x.shape[0]
    k = min(os.cpu_count() or 1, n // _THREAD_MIN)
    if k <= 1:
        return _run_batch(opt, fn, x, hp, steps, summary, schedule, tail)
    parts = np.array_split(np.arange(n), k)
    jobs = [
        (
            x[p],
            {key: v[p] if isinstance(v, np.ndarray) else v for key, v in hp.items()},
            schedule and schedule.mapped(lambda v, p=p: v[p]),
        )
        for p in parts
    ]
    with ThreadPoolExecutor(k) as pool:
        results = list(
            pool.map(
                lambda job: _run_batch(opt, fn, job[0], job[1], steps, summary, job[2], tail),
                jobs,
            )
        )
    return {
        key: (
            None
            if results[0][key] is None
            else {s: np.concatenate([r[key][s] for r in results], axis=-1) for s in results[0][key]}
            if isinstance(results[0][key], dict)
            else np.concatenate([r[key] for r in results], axis=-1)
        )
        for key in results[0]
    }


def _noise(opt: Optimizer, hp: dict, steps: int):
    """Per-step standard normals, one stream per seed, so a run's noise depends only on
    its own seed and never on the batch it runs in."""
    seeds = hp["seed"]
    if np.ndim(seeds) == 0:
        return np.random.default_rng(int(seeds)).standard_normal(steps)
    uniq, inverse = np.unique(seeds, return_inverse=True)
    if uniq.size * steps > MAX_RECORDED:
        raise LabError("too_many_seeds", seeds=uniq.size, steps=steps, limit=MAX_RECORDED)
    table = np.stack([np.random.default_rng(int(s)).standard_normal(steps) for s in uniq], 1)
    return table[:, inverse]


def _run_batch(
    opt: Optimizer, fn: Objective, x, hp, steps: int, summary: bool, schedule=None, tail=0
):
    scalar = np.ndim(x) == 0
    center, radius = fn.center, fn.escape_radius
    # A confined objective's bounds are a wall (beyond them f is not known); a built-in's
    # are a view, and only the escape radius ends a run.
    lo, hi = fn.bounds if fn.confined else (-np.inf, np.inf)
    tol = SETTLE_FRACTION * (fn.bounds[1] - fn.bounds[0])
    with np.errstate(all="ignore"):
        noise = _noise(opt, hp, steps) if opt.noise_scale else None
        scale = opt.noise_scale(hp) if opt.noise_scale else None
        state = opt.init(x, hp)
        # Each step's lr, fed to the rule as hp["lr"] (a copy: the caller's stays the base).
        lrs = schedule.lrs(hp["lr"]) if schedule is not None else None
        hp = dict(hp)
        alive = np.ones(np.shape(x), bool)
        diverged_at = np.full(np.shape(x), -1)
        settled_at = np.zeros(np.shape(x), int)
        if not summary:
            xs = np.empty((steps + 1, *np.shape(x)))
            xs[0] = x
            grads = np.empty((steps, *np.shape(x)))
            states = {k: np.empty((steps, *np.shape(x))) for k, _ in opt.state_labels}
            lr_used = np.empty((steps, *np.shape(x))) if lrs is not None else None
        last = steps
        tail_sum = 0.0  # f(x_t) summed over the last ``tail`` steps, in order
        for t in range(1, steps + 1):
            g = fn.df(x)
            if noise is not None:
                g = g + scale * noise[t - 1]
            h = fn.d2f(x) if opt.second_order else None
            if lrs is not None:
                hp["lr"] = next(lrs)
            x_new, g, state = opt.update(x, g, h, state, hp, t)
            ok = (np.abs(x_new - center) <= radius) & (x_new >= lo) & (x_new <= hi)
            if scalar:  # NumPy scalars: plain branches beat np.where tenfold
                if not ok:
                    diverged_at, alive, x_new = np.asarray(t), np.asarray(False), x
                elif abs(x_new - x) > tol:
                    settled_at = t
            else:
                if not ok.all():
                    diverged_at = np.where(alive & ~ok, t, diverged_at)
                    alive = alive & ok
                    x_new = np.where(alive, x_new, x)
                settled_at = np.where(np.abs(x_new - x) > tol, t, settled_at)
            x = x_new
            if not summary:
                xs[t] = x
                grads[t - 1] = g
                for k, arr in states.items():
                    arr[t - 1] = getattr(state, k)
                if lr_used is not None:
                    lr_used[t - 1] = hp["lr"]
            if t > steps - tail:
                tail_sum = tail_sum + fn.f(x)
            # A 0-d array's truth is its any(): a NumPy reduction on every step was 40% of
            # a single run.
            if not (alive if scalar else alive.any()):
                last = t
                break
        out = {
            "x_final": np.asarray(x, dtype=float),
            "f_final": np.asarray(fn.f(x), dtype=float),
            "diverged_at": np.asarray(diverged_at),
            "settled_at": np.asarray(settled_at),
            "x": None,
            "f": None,
            "grad": None,
            "state": None,
            "f_tail": None,
        }
        if tail:
            # Steps after an early stop stay at the last x: each adds f(x) once more.
            for _ in range(steps - max(last, steps - tail)):
                tail_sum = tail_sum + fn.f(x)
            out["f_tail"] = np.asarray(tail_sum / tail, dtype=float)
        if not summary:
            xs[last + 1 :] = x
            # After its divergence step a run has no meaningful gradient or state.
            dead = np.arange(1, steps + 1).reshape(-1, *[1] * np.ndim(x)) > np.where(
                diverged_at < 0, steps + 1, diverged_at
            )
            grads[dead] = np.nan
            if lr_used is not None:
                states["lr"] = lr_used
            for arr in states.values():
                arr[dead] = np.nan
            out.update(x=xs, f=fn.f(xs), grad=grads, state=states)
    return out
