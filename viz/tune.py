"""A fair race: each optimizer's learning rate tuned for the function, start, steps and
schedule on screen, so that no optimizer races at a default that suits another.

Each optimizer is tuned with one vectorised run over the lr slider's own values (ten a
decade, log-spaced over its range), so a tuned lr is a value the slider offers. The
score is the final f(x), averaged over the last tenth of the steps (``TAIL``): lower
wins, and a run that only happens to be low at its last step, bouncing across the
landscape with a huge lr, does not. A run that diverged scores +inf. Noisy optimizers
(SGD, mini-batch SGD) run ``SEEDS`` seeds from their own, and score the median. Where
several learning rates score the same (within ``TIE`` of the best, relative), the one
that settles soonest wins, then the smallest: on a landscape whose minimum many
learning rates reach, the race shows who gets there first.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace

import numpy as np

import optimizers
from errors import LabError
from viz.config import Config, has_lr
from viz.grids import log_values

SEEDS = 5
TIE = 1e-9
TAIL = 10  # the score averages f over the last 1/TAIL of the steps


def tail(steps: int) -> int:
    """How many of the last steps the score averages f over."""
    return max(1, steps // TAIL)


@dataclass(frozen=True, eq=False)
class Tuned:
    """One optimizer's tuning: the grid, each lr's score and settling step, the winner.
    ``best`` is -1 when every lr on the grid diverged."""

    optimizer: str
    grid: np.ndarray
    score: np.ndarray  # mean f over the tail, median over seeds if noisy; inf: diverged
    settled: np.ndarray  # the step it settled at (median over seeds)
    best: int
    seeds: int  # 1 for a noise-free optimizer

    @property
    def lr(self) -> float | None:
        return None if self.best < 0 else float(self.grid[self.best])


def grid(name: str) -> np.ndarray:
    return np.array(log_values(optimizers.get(name).hparam("lr")))


def choose(score: np.ndarray, settled: np.ndarray) -> int:
    """The index of the best score; among ties (within TIE), the soonest settled, then
    the first. -1 when no score is finite."""
    finite = np.isfinite(score)
    if not finite.any():
        return -1
    low = score[finite].min()
    tied = np.flatnonzero(finite & (score <= low + TIE * (1 + abs(low))))
    return int(tied[np.argmin(settled[tied])])  # argmin: the first of equal settling steps


def tune(cfg: Config, name: str) -> Tuned:
    """Optimizer ``name``'s lr for ``cfg``'s function, start, steps and schedule: one
    vectorised run over the grid (x the seeds, for a noisy optimizer)."""
    opt = optimizers.get(name)
    hp = cfg.hparams_of(name)
    lrs = grid(name)
    hp["lr"] = lrs[:, None]
    seeds = SEEDS if opt.noise_scale is not None else 1
    if seeds > 1:
        hp["seed"] = int(hp["seed"]) + np.arange(seeds)[None, :]
    tr = optimizers.run(
        name,
        cfg.objective,
        cfg.start,
        cfg.steps,
        summary=True,
        schedule=cfg.schedule_for(name),
        tail=tail(cfg.steps),
        **hp,
    )
    f = np.where(tr.diverged | ~np.isfinite(tr.f_tail), np.inf, tr.f_tail)
    score, settled = np.median(f, axis=1), np.median(tr.settled_at, axis=1)
    return Tuned(name, lrs, score, settled, choose(score, settled), seeds)


def tune_all(cfg: Config) -> dict[str, Tuned]:
    """Every chosen optimizer that has a learning rate, tuned. One whose settings cannot
    run, such as Nesterov with dampening, is left out: the race shows its error, and it
    keeps its own lr."""
    out = {}
    for name in filter(has_lr, cfg.optimizers):
        with contextlib.suppress(LabError):
            out[name] = tune(cfg, name)
    return out


def tune_key(cfg: Config) -> Config:
    """What tuning reads: the chosen runs' settings but their learning rates (a cache
    key that racing at the tuned values leaves unchanged)."""
    key = cfg.runs_of()
    hps = {n: {k: v for k, v in h.items() if k != "lr"} for n, h in key.hparams.items()}
    return replace(key, hparams=hps)


def tuned_config(cfg: Config, tuned: dict[str, Tuned]) -> Config:
    """``cfg`` racing at the tuned learning rates (an optimizer whose every lr diverged
    keeps its own), marked as tuned so the page says how they were chosen."""
    out = cfg
    for name, result in tuned.items():
        if result.lr is not None:
            out = out.with_hparam(name, "lr", result.lr)
    return replace(out, tuned=True)
