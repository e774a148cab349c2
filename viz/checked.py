"""The article, checked: each sweep's claim beside what its runs measure.

Every number here is computed from runs made when the page asks (the galleries' runs
and a few reruns with one thing changed: Python 2's f', torch's ε or order, v₀ = 0,
β₂ = 0.999, correct Adam), never typed in. ``facts(gallery_id)`` returns them as a
dict; the page formats them into the sentences of ``viz.text`` ("checked.<id>.*"),
and tests/test_article.py re-measures each one with its own plain loops.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
from scipy.optimize import brentq

import functions
import optimizers
from functions.objective import Objective
from viz import gallery as G

sin, cos = np.sin, np.cos

# Two ends closer than this are the same end.
SAME = 1e-6
# The torch defaults the article's δ replaces.
TORCH_EPS = {"adagrad": 1e-10, "rmsprop": 1e-8}
# Python 2 reads 9/200 as integer division, 0: f' loses the bowl's 0.045x (and f'' its
# 0.045); f, drawn with floats, keeps it.
PY2 = Objective(
    name="article_py2",
    label="The article's function as Python 2 differentiates it",
    latex=functions.get(G.FUNCTION).latex,
    f=functions.get(G.FUNCTION).f,
    df=lambda x: 0 * x - sin(x) - sin(5 * x) + cos(3 * x) + cos(7 * x),
    d2f=lambda x: 0 - cos(x) - 3 * sin(3 * x) - 5 * cos(5 * x) - 7 * sin(7 * x),
    bounds=(-20.0, 20.0),
    x0=-20.0,
)


@functools.lru_cache(maxsize=12)
def runs(gallery_id: str, function: str | Objective = G.FUNCTION):
    """A gallery's runs (the page's too), on the article's function or on ``PY2``."""
    return G.run_gallery(G.get(gallery_id), function)


def first_dip() -> float:
    """The local minimum nearest the start, downhill from x0 = -20: where f' first
    turns from negative to positive."""
    fn = functions.get(G.FUNCTION)
    xs = np.linspace(G.X0, G.X0 + 2, 2001)
    up = np.flatnonzero((fn.df(xs[:-1]) < 0) & (fn.df(xs[1:]) >= 0))[0]
    return float(brentq(fn.df, xs[up], xs[up + 1], xtol=1e-14))


def _values(gallery_id: str, mask) -> np.ndarray:
    return np.array(G.get(gallery_id).values)[mask]


def _moving(traj) -> np.ndarray:
    """Runs still moving at the last step (by more than SETTLE_FRACTION of the domain)."""
    return traj.settled_at == traj.steps


def _at(traj, x: float) -> np.ndarray:
    return np.abs(traj.x_final - x) < 1e-3


def _differ(a, b) -> int:
    return int(np.sum((np.abs(a.x_final - b.x_final) > SAME) | (a.diverged_at != b.diverged_at)))


def _outside(x) -> np.ndarray:
    return (x < G.ARTICLE_X[0]) | (x > G.ARTICLE_X[1])


def gd() -> dict[str, Any]:
    tr, dip = runs("gd"), first_dip()
    moving, stuck = _moving(tr), _at(tr, dip) & ~_moving(tr)
    py2 = [runs(g.id, PY2) for g in G.GALLERIES]
    py3 = [runs(g.id) for g in G.GALLERIES]
    ends2 = np.concatenate([r.x_final for r in py2])
    return {
        "n": tr.x_final.size,
        "n_moving": int(moving.sum()),
        "lr_moving": float(_values("gd", moving).min()),
        "n_stuck": int(stuck.sum()),
        "lr_stuck": float(_values("gd", stuck).max()),
        "dip": dip,
        "runs": G.RUNS,
        "py2_differ": sum(_differ(a, b) for a, b in zip(py3, py2, strict=True)),
        "py2_outside": int(_outside(ends2).sum()),
        "py3_outside": int(sum(_outside(r.x_final).sum() for r in py3)),
        "py2_diverged": int(sum(r.diverged.sum() for r in py2)),
        "py2_gd16": float(py2[0].x_final[0]),
        "gd16": float(tr.x_final[0]),
        "n_best": int(_at(tr, functions.get(G.FUNCTION).x_min).sum()),
    }


def momentum() -> dict[str, Any]:
    g, tr = G.get("momentum"), runs("momentum")
    fn = functions.get(G.FUNCTION)
    rest = optimizers.run(
        g.optimizer,
        G.FUNCTION,
        G.X0,
        G.STEPS,
        **{**g.fixed, "v0": 0.0},
        momentum=np.array(g.values),
    )
    best = _at(tr, fn.x_min)
    moving = _moving(tr)
    return {
        "push": float(tr.x[1, -1] - tr.x[0, -1]),
        "mu_push": g.values[-1],
        "slope0": float(fn.df(np.float64(G.X0))),
        "lr": g.fixed["lr"],
        "n": tr.x_final.size,
        "rest_differ": _differ(tr, rest),
        "rest_dip": int(_at(rest, first_dip()).sum()),
        "best_mu": float(_values("momentum", best)[0]),
        "best_i": int(np.flatnonzero(best)[0]),
        "rest_best": int(_at(rest, fn.x_min).sum()),
        "x_min": fn.x_min,
        "n_moving": int(moving.sum()),
        "mu_moving": float(_values("momentum", moving).min()),
    }


def _adaptive(gallery_id: str, torch_name: str, state: str) -> dict[str, Any]:
    g, tr = G.get(gallery_id), runs(gallery_id)
    lrs = np.array(g.values)
    others = {k: v for k, v in g.fixed.items() if k != "eps"}
    torch_eps = optimizers.run(
        g.optimizer, G.FUNCTION, G.X0, G.STEPS, **others, eps=TORCH_EPS[torch_name], lr=lrs
    )
    torch_order = optimizers.run(
        torch_name, G.FUNCTION, G.X0, G.STEPS, **others, eps=g.fixed["eps"], lr=lrs
    )
    root = float(np.sqrt(np.nanmin(tr.state[state])))
    dip = _at(tr, first_dip()) & ~_moving(tr)
    return {
        "n": lrs.size,
        "eps": g.fixed["eps"],
        "torch_eps": TORCH_EPS[torch_name],
        "root": root,
        "rel": g.fixed["eps"] / root,
        "eps_differ": _differ(tr, torch_eps),
        "order_differ": _differ(tr, torch_order),
        "n_moving": int(_moving(tr).sum()),
        "n_dip": int(dip.sum()),
        "n_best": int(_at(tr, functions.get(G.FUNCTION).x_min).sum()),
    }


def adagrad() -> dict[str, Any]:
    return _adaptive("adagrad", "adagrad", "sum")


def rmsprop() -> dict[str, Any]:
    return _adaptive("rmsprop", "rmsprop", "square_avg")


def adam() -> dict[str, Any]:
    """ρ₂ = 0.9 (the article's runs) and ρ₂ = 0.999 (the one it blames), with the
    correction compounding (the article's) and not (correct Adam)."""
    g, tr = G.get("adam"), runs("adam")
    lrs = np.array(g.values)
    fn = functions.get(G.FUNCTION)
    kw = {"beta1": 0.9, "beta2": 0.999, "lr": lrs}
    art = optimizers.run("adam_article", G.FUNCTION, G.X0, G.STEPS, **kw)
    right = optimizers.run("adam", G.FUNCTION, G.X0, G.STEPS, **kw)
    inf = np.isinf(art.state["v"])
    first_inf = np.argmax(inf, axis=0) + 1
    # Leaving the window: a point of the path outside x in [-20, 20] or y in [-2, 10].
    out_y = (tr.f < G.ARTICLE_Y[0]) | (tr.f > G.ARTICLE_Y[1])
    left = np.any(_outside(tr.x) | out_y, axis=0)
    ends_out = _outside(tr.x_final)
    best = _at(tr, fn.x_min)
    return {
        "n": lrs.size,
        "inf_all": bool(inf.any(axis=0).all()),
        "inf_first": int(first_inf.min()),
        "inf_last": int(first_inf.max()),
        "inf_steps": "–".join(
            dict.fromkeys(str(int(s)) for s in (first_inf.min(), first_inf.max()))
        ),
        "v100": float(np.max(art.state["v"][99])),
        "vhat_max": float(np.max(right.state["v_hat"])),
        "v09_max": float(np.max(tr.state["v"])),
        "n_left": int(left.sum()),
        "n_out": int(ends_out.sum()),
        "out_lo": float(tr.x_final[ends_out].min()),
        "out_hi": float(tr.x_final[ends_out].max()),
        "lr_out": float(lrs[ends_out].min()),
        "n_back": int((left & ~ends_out).sum()),
        "n_best": int(best.sum()),
        "best_lr": float(lrs[best][0]) if best.any() else float("nan"),
    }


def adam_rows() -> list[dict[str, Any]]:
    """Each ρ₂ = 0.9 run that leaves the plotted window: i, η, its farthest x, its end."""
    g, tr = G.get("adam"), runs("adam")
    out_y = (tr.f < G.ARTICLE_Y[0]) | (tr.f > G.ARTICLE_Y[1])
    left = np.any(_outside(tr.x) | out_y, axis=0)
    far = tr.x[np.argmax(np.abs(tr.x), axis=0), np.arange(tr.x.shape[1])]
    return [
        {"i": i, "lr": g.values[i], "farthest": float(far[i]), "end": float(tr.x_final[i])}
        for i in np.flatnonzero(left)
    ]


def newton() -> dict[str, Any]:
    g, tr = G.get("newton_reg"), runs("newton_reg")
    fn = functions.get(G.FUNCTION)
    xs = np.linspace(*fn.bounds, 400_001)
    h = fn.d2f(xs)
    step = 1e-5
    central = (fn.df(xs + step) - fn.df(xs - step)) / (2 * step)
    dip = _at(tr, first_dip())
    ends = np.round(tr.x_final[~dip], 3)
    values, counts = np.unique(ends, return_counts=True)
    top = values[np.argmax(counts)]
    hump = np.abs(tr.x_final - top) < 1e-3
    alphas = np.array(g.values)
    return {
        "n": alphas.size,
        "h_min": float(h.min()),
        "h_neg": float(-h.min()),
        "dip": first_dip(),
        "x_h_min": float(xs[np.argmin(h)]),
        "fd_err": float(np.max(np.abs(central - h))),
        "n_dip": int(dip.sum()),
        "alpha_dip": float(alphas[dip].min()),
        "n_hump": int(hump.sum()),
        "hump": float(tr.x_final[hump][0]),
        "h_hump": float(fn.d2f(np.float64(tr.x_final[hump][0]))),
        "alpha_hump": float(alphas[hump].max()),
        "n_else": int((~dip & ~hump).sum()),
        "n_best": int(_at(tr, fn.x_min).sum()),
    }


FACTS = {
    "gd": gd,
    "momentum": momentum,
    "adagrad": adagrad,
    "rmsprop": rmsprop,
    "adam": adam,
    "newton_reg": newton,
}


def facts(gallery_id: str) -> dict[str, Any]:
    return dict(_facts(gallery_id))


@functools.lru_cache(maxsize=len(FACTS))
def _facts(gallery_id: str) -> dict[str, Any]:
    return FACTS[gallery_id]()
