"""The fair race: each tuned lr is the one a plain loop over the same grid would pick."""

from __future__ import annotations

import math
import statistics

import numpy as np
import pytest

import optimizers
from viz import tune
from viz.config import Config


def plain_choice(cfg: Config, name: str) -> tuple[int, list[float]]:
    """One scalar run per lr (and per seed), scored by hand: the mean f over the last
    tenth of the steps, inf if it diverged, the median over seeds; ties within 1e-9 go
    to the soonest settled, then the smaller lr."""
    hp = cfg.hparams_of(name)
    noisy = optimizers.get(name).noise_scale is not None
    seeds = [hp["seed"] + k for k in range(tune.SEEDS)] if noisy else [None]
    scores, settled = [], []
    for lr in tune.grid(name):
        fs, ss = [], []
        for seed in seeds:
            args = {**hp, "lr": float(lr), **({"seed": seed} if noisy else {})}
            tr = optimizers.run(
                name, cfg.objective, cfg.start, cfg.steps, schedule=cfg.schedule_for(name), **args
            )
            last = tr.f[len(tr.f) - max(1, cfg.steps // 10) :]
            f = float(sum(last) / len(last))
            fs.append(f if int(tr.diverged_at) < 0 and math.isfinite(f) else math.inf)
            ss.append(int(tr.settled_at))
        scores.append(statistics.median(fs))
        settled.append(statistics.median(ss))
    best = min(scores)
    near = [i for i, s in enumerate(scores) if s <= best + 1e-9 * (1 + abs(best))]
    return min(near, key=lambda i: (settled[i], i)), scores


CASES = {
    "article-adam": (Config(steps=80), "adam"),
    "article-gd-cosine": (Config(steps=80, schedule="cosine"), "gd"),
    "quadratic-momentum": (Config(function="quadratic", steps=60), "momentum"),
    "noisy-sgd-warmup": (
        Config(steps=60, schedule="warmup_cosine").with_schedule_param(
            "warmup_cosine", "T_max", 60
        ),
        "sgd",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_tuned_lr_is_the_plain_loops_choice(case):
    cfg, name = CASES[case]
    tuned = tune.tune(cfg, name)
    want, scores = plain_choice(cfg, name)
    np.testing.assert_array_equal(tuned.score, scores)
    assert tuned.best == want
    assert tuned.lr == tune.grid(name)[want]
    # Not a grid end: the choice is a real trade-off, not "the largest that survives".
    assert 0 < want < tune.grid(name).size - 1
    assert tuned.seeds == (tune.SEEDS if name == "sgd" else 1)


def test_ties_go_to_the_soonest_settled_then_the_smallest_lr():
    score = np.array([3.0, 1.0, 1.0 + 1e-12, 1.0, np.inf])
    settled = np.array([5, 40, 30, 30, 0])
    assert tune.choose(score, settled) == 2
    assert tune.choose(np.full(3, np.inf), np.zeros(3)) == -1


def test_tuning_races_every_optimizer_at_its_tuned_lr_and_the_link_keeps_them():
    cfg = Config(steps=60, optimizers=("gd", "adam", "newton"))
    results = tune.tune_all(cfg)
    assert set(results) == {"gd", "adam"}  # Newton has no learning rate
    raced = tune.tuned_config(cfg, results)
    assert raced.tuned
    for name, result in results.items():
        assert raced.hparams_of(name)["lr"] == result.lr
    back, notices = Config.from_query(raced.to_query())
    assert notices == [] and back == raced
    # Tuning reads all but the lrs, so racing at the tuned lrs reuses its cache entry.
    assert tune.tune_key(raced) == tune.tune_key(cfg)


def test_an_optimizer_whose_settings_cannot_run_is_left_out_of_the_tuning():
    # Nesterov with dampening: the race shows that run's error; tuning skips it.
    cfg = Config(
        steps=40,
        optimizers=("gd", "momentum"),
        hparams={"momentum": {"nesterov": True, "dampening": 0.5}},
    )
    with pytest.raises(ValueError, match="nesterov"):
        optimizers.run("momentum", cfg.objective, **cfg.hparams_of("momentum"))
    results = tune.tune_all(cfg)
    assert set(results) == {"gd"}
    assert tune.tuned_config(cfg, results).hparams_of("momentum") == cfg.hparams_of("momentum")


def test_an_optimizer_whose_every_lr_diverges_keeps_its_own():
    # -1/x from just right of its pole: every lr on the grid leaves the bounds.
    cfg = Config(
        function="custom", expr="-1/x", lo=0.001, hi=1.0, x0=0.002, steps=50, optimizers=("gd",)
    )
    result = tune.tune(cfg, "gd")
    assert result.best == -1 and result.lr is None
    assert np.isinf(result.score).all()
    assert tune.tuned_config(cfg, {"gd": result}).hparams_of("gd")["lr"] == 0.1


@pytest.mark.parametrize("lrs", [[0.01, 0.5, 3.0, 60.0], [60.0, 80.0]])
def test_the_tail_mean_is_the_mean_of_the_full_runs_last_steps(lrs):
    """Summary mode's f_tail against a full run's f; the second batch all diverges, so
    the run stops early and its frozen x fills the tail."""
    full = optimizers.run("gd", "article", steps=50, lr=np.array(lrs))
    summary = optimizers.run("gd", "article", steps=50, lr=np.array(lrs), summary=True, tail=7)
    for i in range(len(lrs)):
        assert summary.f_tail[i] == sum(float(v) for v in full.f[-7:, i]) / 7
    assert full.diverged[-1]
    one = optimizers.run("gd", "article", steps=50, lr=lrs[0], summary=True, tail=7)
    assert one.f_tail == summary.f_tail[0]
