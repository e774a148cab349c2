"""The article's 170 runs, its variants, and the article checked.

Every gallery is checked against reference loops written here from the algorithm the
article states: one plain loop over the 1000 steps, vectorised over the sweep (each
run is one element of an array, so elements never interact), float64, each line
computed left to right in the order the article writes it, with f' summed in the
article's term order. Each run must equal its loop to 1e-9 relative at every step.
The measured facts the page shows ("The article, checked") are re-measured here from
these loops and a few changed copies of them (Python 2's f', torch's ε or order,
v₀ = 0, β₂ = 0.999, correct Adam).
"""

from __future__ import annotations

import itertools
import json
import math
import re

import numpy as np
import plotly.io as pio
import pytest

import functions
import optimizers
from tests.plotly_json import decode
from viz import checked, text
from viz import gallery as G

CJK = re.compile(r"[\u4e00-\u9fff]")
X0, STEPS = -20.0, 1000
RTOL = 1e-9
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[+-]\d+)?")


def df(x):
    """The article's f', its terms in its order; ``bowl`` is its 9/200 (0 in Python 2)."""
    return (9 / 200) * x - np.sin(x) - np.sin(5 * x) + np.cos(3 * x) + np.cos(7 * x)


def df_py2(x):
    return 0 * x - np.sin(x) - np.sin(5 * x) + np.cos(3 * x) + np.cos(7 * x)


def ddf(x):
    """The f'' the article calls and never defines: differentiated by hand."""
    return 0.045 - np.cos(x) - 3 * np.sin(3 * x) - 5 * np.cos(5 * x) - 7 * np.sin(7 * x)


def ddf_py2(x):
    return 0 - np.cos(x) - 3 * np.sin(3 * x) - 5 * np.cos(5 * x) - 7 * np.sin(7 * x)


# --- the reference loops: the article's sweeps, one array element per run ---------------


def sweep(gallery_id):
    """The swept values as the article's loops compute them, i from 0."""
    n = {"gd": 10, "momentum": 10, "adagrad": 15, "rmsprop": 15, "adam": 48, "newton_reg": 72}
    value = {
        "gd": lambda i: pow(2, -i) * 16,
        "momentum": lambda i: 1 - pow(0.5, i),
        "adagrad": lambda i: pow(1.5, -i) * 32,
        "rmsprop": lambda i: pow(1.5, -i) * 32,
        "adam": lambda i: pow(1.2, -i) * 2,
        "newton_reg": lambda i: pow(1.2, -i) * 20,
    }[gallery_id]
    return np.array([value(i) for i in range(n[gallery_id])])


def ref_gd(lr, grad=df):
    x, xs = np.full(lr.shape, X0), []
    for _ in range(STEPS):
        xs.append(x)
        x = x - lr * grad(x)
    return np.array([*xs, x]), {}


def ref_momentum(m, lr=0.002, v0=1.0, grad=df):
    x, v, xs, vs = np.full(m.shape, X0), np.full(m.shape, v0), [], []
    for _ in range(STEPS):
        xs.append(x)
        v = m * v - lr * grad(x)
        x = x + v
        vs.append(v)
    return np.array([*xs, x]), {"velocity": np.array(vs)}


def ref_adagrad(lr, delta=1e-7, grad=df):
    x, r, xs, rs = np.full(lr.shape, X0), np.zeros(lr.shape), [], []
    for _ in range(STEPS):
        xs.append(x)
        g = grad(x)
        r = r + g * g
        x = x - lr / (delta + np.sqrt(r)) * g
        rs.append(r)
    return np.array([*xs, x]), {"sum": np.array(rs)}


def ref_rmsprop(lr, delta=1e-6, rho=0.8, grad=df):
    x, r, xs, rs = np.full(lr.shape, X0), np.zeros(lr.shape), [], []
    for _ in range(STEPS):
        xs.append(x)
        g = grad(x)
        r = rho * r + (1 - rho) * g * g
        x = x - lr / (delta + np.sqrt(r)) * g
        rs.append(r)
    return np.array([*xs, x]), {"square_avg": np.array(rs)}


def ref_adam(lr, rho1=0.9, rho2=0.9, delta=1e-8, grad=df):
    x, s, r = np.full(lr.shape, X0), np.zeros(lr.shape), np.zeros(lr.shape)
    xs, ss, rs = [], [], []
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, STEPS + 1):
            xs.append(x)
            g = grad(x)
            s = rho1 * s + (1 - rho1) * g
            r = rho2 * r + (1 - rho2) * g * g
            s = s / (1 - pow(rho1, t))
            r = r / (1 - pow(rho2, t))
            x = x - lr / (delta + np.sqrt(r)) * s
            ss.append(s)
            rs.append(r)
    return np.array([*xs, x]), {"m": np.array(ss), "v": np.array(rs)}


def ref_newton(alpha, grad=df, curvature=ddf):
    x, xs = np.full(alpha.shape, X0), []
    for _ in range(STEPS):
        xs.append(x)
        x = x - grad(x) / (curvature(x) + alpha)
    return np.array([*xs, x]), {}


REFERENCE = {
    "gd": ref_gd,
    "momentum": ref_momentum,
    "adagrad": ref_adagrad,
    "rmsprop": ref_rmsprop,
    "adam": ref_adam,
    "newton_reg": ref_newton,
}


@pytest.fixture(scope="module")
def reference():
    return {gid: make(sweep(gid)) for gid, make in REFERENCE.items()}


@pytest.fixture(scope="module")
def trajectories():
    return {g.id: G.run_gallery(g) for g in G.GALLERIES}


# --- all 170 runs ---------------------------------------------------------------------------


def test_galleries_are_the_articles_six_sweeps():
    assert [g.id for g in G.GALLERIES] == list(REFERENCE)
    assert [len(g.values) for g in G.GALLERIES] == [10, 10, 15, 15, 48, 72]
    assert G.RUNS == 170
    for g in G.GALLERIES:
        assert list(g.values) == sweep(g.id).tolist()
        assert G.get(g.id) is g
    assert G.get("momentum").values[0] == 0.0  # i = 0: m = 0, as the article's loop starts
    with pytest.raises(ValueError, match="Unknown gallery 'sgd'"):
        G.get("sgd")


@pytest.mark.parametrize("gallery_id", list(REFERENCE))
def test_every_run_is_the_articles_loop_at_every_step(gallery_id, trajectories, reference):
    traj, (xs, states) = trajectories[gallery_id], reference[gallery_id]
    assert (traj.objective, traj.steps) == ("article_code", STEPS)
    assert traj.x.shape == xs.shape == (STEPS + 1, len(G.get(gallery_id).values))
    assert np.all(traj.diverged_at == -1)
    np.testing.assert_allclose(traj.x, xs, rtol=RTOL, atol=0)
    for field, values in states.items():
        np.testing.assert_allclose(traj.state[field], values, rtol=RTOL, atol=0)


def test_the_articles_order_matters(reference):
    """The reason for the variants: the same runs in the library's f' order (or torch's
    arithmetic) end elsewhere, as the article's figures would not show."""
    lrs = sweep("gd")
    library = optimizers.run("gd", "article", X0, STEPS, lr=lrs)
    assert np.sum(np.abs(library.x_final - reference["gd"][0][-1]) > 1e-6) >= 5
    assert np.all(np.abs(library.x[1] - reference["gd"][0][1]) < 1e-12)  # same maths


def test_variants_stay_out_of_the_picker():
    variants = {"momentum_article", "adagrad_article", "rmsprop_article", "adam_article"}
    assert set(optimizers.OPTIMIZERS).isdisjoint(variants)
    assert variants <= set(optimizers.VARIANTS)
    assert "article_code" not in functions.FUNCTIONS
    assert functions.get("article_code") is functions.VARIANTS["article_code"]
    assert optimizers.get("adagrad_article").defaults == {"lr": 1.0, "eps": 1e-7}
    assert optimizers.get("rmsprop_article").defaults == {"lr": 1.0, "beta": 0.8, "eps": 1e-6}
    with pytest.raises(ValueError, match=r"Invalid beta2: 1\.0"):
        optimizers.run("adam_article", "article", beta2=1.0)
    with pytest.raises(ValueError, match=r"Invalid momentum: 1\.0"):
        optimizers.run("momentum_article", "article", momentum=1.0)


@pytest.mark.parametrize("v0", [1.0, -3.0, 0.0])
def test_momentum_article_without_momentum_is_gd_exactly(v0):
    """μ = 0: v = 0·v0 − η g = −(η g), and x + (−η g) is x − η g in IEEE arithmetic."""
    lrs = 16 * 2.0 ** -np.arange(10)
    a = optimizers.run("momentum_article", "article", X0, 300, lr=lrs, momentum=0.0, v0=v0)
    b = optimizers.run("gd", "article", X0, 300, lr=lrs)
    np.testing.assert_array_equal(a.x, b.x)


def test_momentum_article_from_rest_is_torch_momentum_up_to_rounding():
    kw = {"lr": np.array([0.01, 0.1, 0.5]), "momentum": np.array([0.5, 0.9, 0.95])}
    a = optimizers.run("momentum_article", "quadratic", -8.0, 500, v0=0.0, **kw)
    b = optimizers.run("momentum", "quadratic", -8.0, 500, **kw)
    np.testing.assert_allclose(a.x, b.x, rtol=0, atol=1e-12)
    c = optimizers.run("momentum_article", "quadratic", -8.0, 1, v0=1.0, **kw)
    np.testing.assert_allclose(c.x[1] - a.x[1], kw["momentum"], rtol=1e-12)


@pytest.mark.parametrize(
    ("variant", "torch"), [("adagrad_article", "adagrad"), ("rmsprop_article", "rmsprop")]
)
def test_adaptive_variants_are_torchs_rule_up_to_rounding(variant, torch):
    """Same maths as torch's on a tame function: equal to rounding, not bit for bit."""
    kw = {"lr": np.array([0.05, 0.3, 1.0]), "eps": 1e-8}
    if torch == "rmsprop":
        kw["beta"] = 0.9
    a = optimizers.run(variant, "quadratic", -8.0, 300, **kw)
    b = optimizers.run(torch, "quadratic", -8.0, 300, **kw)
    np.testing.assert_allclose(a.x, b.x, rtol=0, atol=1e-9)


@pytest.mark.parametrize("beta2", [0.9, 0.999])
def test_adam_article_first_step_is_adams(beta2):
    """At t = 1 both divide by 1 − β¹ once, so the written-back m, v are correct Adam's
    m̂₁, v̂₁ up to rounding; from step 2 on the correction compounds."""
    x0, lr = np.linspace(-20, 20, 4001), np.linspace(0.01, 3, 4001)
    kw = {"lr": lr, "beta1": 0.9, "beta2": beta2}
    a = optimizers.run("adam_article", "article", x0, 2, **kw)
    b = optimizers.run("adam", "article", x0, 2, **kw)
    np.testing.assert_array_equal(a.state["m"][0], b.state["m_hat"][0])
    np.testing.assert_allclose(a.state["v"][0], b.state["v_hat"][0], rtol=4e-16)
    assert np.all(np.abs(a.x[1] - b.x[1]) <= 4 * np.finfo(float).eps * (20 + lr))
    ratio = a.state["v"][1] / b.state["v_hat"][1]
    assert np.all(ratio >= 1 - 1e-15) and np.median(ratio) > 0.5 / (1 - beta2)


def test_adam_article_and_momentum_article_batch_equals_alone():
    lr = np.array([2.0, 0.5, 0.1, 1.3, 0.02, 2.0])
    b1 = np.array([0.9, 0.8, 0.95, 0.9, 0.0, 0.5])
    b2 = np.array([0.999, 0.9, 0.99, 0.999, 0.5, 0.9])
    x0 = np.array([-20.0, -7.5, 3.0, 11.0, 0.3, 19.0])
    batch = optimizers.run("adam_article", "article", x0, 400, lr=lr, beta1=b1, beta2=b2)
    assert np.isinf(batch.state["v"][-1, 0])  # the overflow is inside the compared span
    for i in range(lr.size):
        alone = optimizers.run(
            "adam_article", "article", x0[i], 400, lr=lr[i], beta1=b1[i], beta2=b2[i]
        )
        np.testing.assert_array_equal(batch.x[:, i], alone.x)


@pytest.mark.parametrize(
    "name", ["momentum_article", "adagrad_article", "rmsprop_article", "adam_article"]
)
def test_variant_source_is_its_update(name):
    """The exported loop body of each variant computes its update digit for digit."""
    opt = optimizers.get(name)
    g = G.get(
        {"momentum_article": "momentum", "adagrad_article": "adagrad"}.get(
            name, {"rmsprop_article": "rmsprop", "adam_article": "adam"}.get(name)
        )
    )
    hp = {**opt.defaults, **g.hparams(3)}
    traj = optimizers.run(name, "article_code", X0, 200, **hp)
    scope = {"np": np, **{k: float(v) for k, v in hp.items()}}
    exec(opt.source.init, scope)
    x = np.float64(X0)
    for t in range(1, 201):
        scope.update(x=x, g=functions.get("article_code").df(x), t=t)
        exec(opt.source.step, scope)
        x = scope["x_new"]
        assert x == traj.x[t], t


# --- the article, checked: each number re-measured ---------------------------------------------


def ends_differ(a, b):
    return int(np.sum(np.abs(a[-1] - b[-1]) > 1e-6))


def at(xs, x):
    return np.abs(xs[-1] - x) < 1e-3


def moving(xs):
    """Still moving at the last step: by more than 1e-6 of the domain's width (40)."""
    return np.abs(xs[-1] - xs[-2]) > 1e-6 * 40


def first_dip():
    """Bisection on f' from the first sign change right of -20."""
    x = X0
    while not (df(x) < 0 <= df(x + 1e-3)):
        x += 1e-3
    lo, hi = x, x + 1e-3
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if df(mid) < 0 else (lo, mid)
    return lo


DIP = first_dip()
X_MIN = functions.get("article").x_min


def test_first_dip_and_global_minimum():
    assert checked.first_dip() == pytest.approx(DIP, abs=1e-12)
    assert -19.3 < DIP < -19.2 and ddf(DIP) > 0
    assert abs(df(X_MIN)) < 1e-9 and -3 < X_MIN < -2.9


def test_checked_gd(reference):
    facts, xs = checked.facts("gd"), reference["gd"][0]
    lrs = sweep("gd")
    mv, stuck = moving(xs), at(xs, DIP) & ~moving(xs)
    assert facts["n"] == 10 and facts["runs"] == 170
    assert (facts["n_moving"], facts["lr_moving"]) == (mv.sum(), lrs[mv].min()) == (6, 0.5)
    assert (facts["n_stuck"], facts["lr_stuck"]) == (stuck.sum(), lrs[stuck].max()) == (4, 0.25)
    assert lrs[mv].min() > lrs[stuck].max()  # "too large" and "too small" split the sweep
    assert facts["dip"] == pytest.approx(DIP, abs=1e-12)
    assert facts["n_best"] == at(xs, X_MIN).sum() == 0
    assert facts["gd16"] == xs[-1, 0]


def test_checked_python2(reference):
    """Under Python 2, 9/200 == 0: every sweep rerun with that f' (and its f'')."""
    facts = checked.facts("gd")
    py2 = {
        "gd": ref_gd(sweep("gd"), grad=df_py2),
        "momentum": ref_momentum(sweep("momentum"), grad=df_py2),
        "adagrad": ref_adagrad(sweep("adagrad"), grad=df_py2),
        "rmsprop": ref_rmsprop(sweep("rmsprop"), grad=df_py2),
        "adam": ref_adam(sweep("adam"), grad=df_py2),
        "newton_reg": ref_newton(sweep("newton_reg"), grad=df_py2, curvature=ddf_py2),
    }
    # The app stops a run past 100 domain widths (|x| > 4000); compare the others.
    escaped = {k: np.any(np.abs(v[0]) > 4000, axis=0) for k, v in py2.items()}
    assert facts["py2_diverged"] == sum(e.sum() for e in escaped.values()) == 1
    differ = sum(
        int(np.sum(escaped[k] | (np.abs(py2[k][0][-1] - reference[k][0][-1]) > 1e-6))) for k in py2
    )
    assert facts["py2_differ"] == differ == 170
    ends = np.concatenate([v[0][-1][~escaped[k]] for k, v in py2.items()])
    outside = lambda e: int(np.sum((e < -20) | (e > 20)))  # noqa: E731
    assert facts["py2_outside"] == outside(ends) + 1  # the escaped run ends outside too
    assert facts["py3_outside"] == sum(outside(v[0][-1]) for v in reference.values())
    assert facts["py2_gd16"] == py2["gd"][0][-1, 0]


def test_checked_momentum(reference):
    facts, xs = checked.facts("momentum"), reference["momentum"][0]
    mus = sweep("momentum")
    rest = ref_momentum(mus, v0=0.0)[0]
    assert facts["push"] == xs[1, -1] - xs[0, -1]
    assert abs(facts["push"] - mus[-1]) < 0.01  # "almost all of it μ·v₀"
    assert facts["mu_push"] == mus[-1] and facts["lr"] == 0.002
    assert facts["slope0"] == df(X0)
    assert facts["rest_differ"] == ends_differ(xs, rest) == 8
    assert facts["rest_dip"] == at(rest, DIP).sum() == 7
    assert facts["rest_best"] == at(rest, X_MIN).sum() == 0
    best = np.flatnonzero(at(xs, X_MIN))
    assert (facts["best_i"], facts["best_mu"]) == (best[0], mus[best[0]]) == (4, 0.9375)
    assert facts["n_moving"] == moving(xs).sum() and facts["mu_moving"] == mus[moving(xs)].min()


def ref_torch_order(kind, lr, eps, rho=0.8):
    """torch's arithmetic: g*g squared first, then lr * (g / (sqrt(r) + eps))."""
    x, r = np.full(lr.shape, X0), np.zeros(lr.shape)
    for _ in range(STEPS):
        g = df(x)
        r = r + g * g if kind == "adagrad" else rho * r + (1 - rho) * (g * g)
        x = x - lr * (g / (np.sqrt(r) + eps))
    return x


@pytest.mark.parametrize(
    ("gallery_id", "delta", "torch_eps", "eps_differ", "order_differ"),
    [("adagrad", 1e-7, 1e-10, 7, 5), ("rmsprop", 1e-6, 1e-8, 11, 10)],
)
def test_checked_eps(gallery_id, delta, torch_eps, eps_differ, order_differ, reference):
    facts = checked.facts(gallery_id)
    xs, states = reference[gallery_id]
    lrs = sweep(gallery_id)
    root = np.sqrt(next(iter(states.values())).min())
    assert facts["root"] == root and facts["rel"] == delta / root
    assert facts["eps"] == delta and facts["torch_eps"] == torch_eps
    swapped = REFERENCE[gallery_id](lrs, delta=torch_eps)[0]
    assert facts["eps_differ"] == ends_differ(xs, swapped) == eps_differ
    reordered = ref_torch_order(gallery_id, lrs, delta)
    assert facts["order_differ"] == int(np.sum(np.abs(xs[-1] - reordered) > 1e-6)) == order_differ
    assert facts["n_moving"] == moving(xs).sum()
    assert facts["n_dip"] == (at(xs, DIP) & ~moving(xs)).sum()
    assert facts["n_best"] == at(xs, X_MIN).sum() == 0
    if gallery_id == "adagrad":
        assert root == abs(df(X0))  # the first gradient is the smallest root


def ref_adam_torch(lr, rho2):
    """Correct Adam: the moments stay uncorrected; the step divides corrected copies."""
    x, m, v, vhat_max = np.full(lr.shape, X0), np.zeros(lr.shape), np.zeros(lr.shape), 0.0
    for t in range(1, STEPS + 1):
        g = df(x)
        m = 0.9 * m + 0.1 * g
        v = rho2 * v + (1 - rho2) * g * g
        vhat = v / (1 - rho2**t)
        vhat_max = max(vhat_max, vhat.max())
        x = x - lr * (m / (1 - 0.9**t)) / (np.sqrt(vhat) + 1e-8)
    return vhat_max


def test_checked_adam(reference):
    facts = checked.facts("adam")
    xs, states = reference["adam"]
    lrs = sweep("adam")
    blamed = ref_adam(lrs, rho2=0.999)[1]["v"]
    first_inf = [
        next(t for t in range(1, STEPS + 1) if np.isinf(blamed[t - 1, k])) for k in range(48)
    ]
    assert facts["inf_all"] and facts["inf_first"] == min(first_inf) == 328
    assert facts["inf_last"] == max(first_inf) and facts["inf_steps"] == "328"
    assert facts["v100"] == blamed[99].max() and np.isfinite(blamed[99]).all()
    assert facts["vhat_max"] == pytest.approx(ref_adam_torch(lrs, 0.999), rel=1e-12)
    assert facts["vhat_max"] < 10
    assert facts["v09_max"] == states["v"].max() and np.isfinite(states["v"]).all()
    fs = functions.get("article_code").f(xs)
    left = np.any((xs < -20) | (xs > 20) | (fs < -2) | (fs > 10), axis=0)
    out = (xs[-1] < -20) | (xs[-1] > 20)
    assert facts["n_left"] == left.sum() == 27
    assert facts["n_out"] == out.sum() == 27 and facts["n_back"] == (left & ~out).sum() == 0
    assert (facts["out_lo"], facts["out_hi"]) == (xs[-1][out].min(), xs[-1][out].max())
    assert facts["lr_out"] == lrs[out].min() and np.all(out == (lrs >= lrs[out].min()))
    best = at(xs, X_MIN)
    assert facts["n_best"] == best.sum() == 1 and facts["best_lr"] == lrs[best][0]
    rows = checked.adam_rows()
    assert [r["i"] for r in rows] == np.flatnonzero(left).tolist()
    for r in rows:
        k = r["i"]
        assert r["end"] == xs[-1, k] and r["farthest"] == xs[np.argmax(np.abs(xs[:, k])), k]


def test_checked_newton(reference):
    facts, xs = checked.facts("newton_reg"), reference["newton_reg"][0]
    alphas = sweep("newton_reg")
    grid = np.linspace(-20, 20, 400_001)
    assert facts["h_min"] == ddf(grid).min() and facts["h_neg"] == -facts["h_min"]
    assert facts["x_h_min"] == grid[np.argmin(ddf(grid))]
    # The f'' used is f' differentiated: a central difference of f' agrees.
    h = 1e-5
    err = np.max(np.abs((df(grid + h) - df(grid - h)) / (2 * h) - ddf(grid)))
    assert facts["fd_err"] == pytest.approx(err, rel=1e-6) and err < 1e-7
    dip = at(xs, DIP)
    assert facts["n_dip"] == dip.sum() == 23 and facts["alpha_dip"] == alphas[dip].min()
    hump = np.abs(xs[-1] - facts["hump"]) < 1e-3
    assert abs(df(facts["hump"])) < 1e-9 and ddf(facts["hump"]) < 0  # a local maximum
    assert facts["h_hump"] == ddf(facts["hump"])
    assert facts["n_hump"] == hump.sum() == 46 and facts["alpha_hump"] == alphas[hump].max()
    assert facts["n_else"] == 72 - 23 - 46 and facts["n_best"] == at(xs, X_MIN).sum() == 0


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_checked_texts_show_every_number(lang):
    """Each sentence formats its facts; both languages carry the same numbers."""
    keys = {
        "gd": ["gd", "py2"],
        "momentum": ["momentum"],
        "adagrad": ["eps", "adagrad"],
        "rmsprop": ["eps", "rmsprop"],
        "adam": ["adam", "adam999"],
        "newton_reg": ["newton"],
    }
    for gallery_id, parts in keys.items():
        facts = checked.facts(gallery_id)
        for part in parts:
            en = text.t(f"checked.{part}.measured", "en", **facts)
            shown = text.t(f"checked.{part}.measured", lang, **facts)
            assert sorted(NUMBER.findall(shown)) == sorted(NUMBER.findall(en)), part
            assert bool(CJK.search(shown)) == (lang == "zh")


# --- the comparison at beta2 = 0.999 ----------------------------------------------------------


def test_adam_comparison_numbers_from_plain_loops():
    lr = np.array([2.0])
    xs, states = ref_adam(lr, rho2=0.999)
    path, vs = xs[:, 0].tolist(), states["v"][:, 0].tolist()
    steps = [abs(b - a) for a, b in itertools.pairwise(path)]
    facts = G.measure(*G.adam_comparison_runs())
    assert facts.lr == 2.0
    assert facts.tiny == next(t for t, s in enumerate(steps, 1) if s < 1e-6 * 2.0)
    assert facts.frozen == max(t for t, s in enumerate(steps, 1) if s > 0)
    assert facts.x_frozen == path[-1]
    assert facts.inf_step == next(t for t, v in enumerate(vs, 1) if v == math.inf) == 328
    assert all(s == 0 for s in steps[facts.frozen :])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_adam_comparison_figure_and_explanation(lang):
    fig, explanation = G.adam_comparison(lang)
    facts = G.measure(*G.adam_comparison_runs())
    assert explanation == text.t("gallery.adam_explain", lang, **facts._asdict())
    assert bool(CJK.search(explanation)) == (lang == "zh")
    titles = [a.text for a in fig.layout.annotations]
    assert text.t("gallery.adam_v_inf", lang, step=328) in titles


# --- the panels ------------------------------------------------------------------------------


@pytest.mark.parametrize("look", G.STYLES)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_panel_figures(look, lang, trajectories):
    for g in G.GALLERIES:
        traj = trajectories[g.id]
        for i in (0, len(g.values) - 1):
            fig = G.panel_figure(g, traj, i, look, lang)
            spec = json.loads(pio.to_json(fig, validate=False))
            curve, path, end = spec["data"]
            np.testing.assert_array_equal(decode(path["x"]), traj.x[:, i])
            assert decode(end["x"]).tolist() == [traj.x_final[i]]
            title = spec["layout"]["title"]["text"]
            assert f"i = {i}" in title
            assert text.t("ended_at", lang, x=float(traj.x_final[i])) in title
            if look == "article":
                assert spec["layout"]["xaxis"]["range"] == [-20, 20]
                assert spec["layout"]["yaxis"]["range"] == [-2, 10]
                assert g.article_label(i) in title.replace(",<br>", ",")
                assert end["marker"]["color"] == "#008000" and path["line"]["color"] == "#ff0000"
            else:
                assert g.label(i) in title and curve["line"]["color"] == G.GREY


def test_article_titles_are_the_articles():
    """ "%f" as the article's code writes its figure titles."""
    assert G.get("gd").article_label(0) == "Gradient descent,lr=16.000000"
    assert G.get("momentum").article_label(9) == "Gradient descent + momentum,lr=0.002000,m=%f" % (
        1 - 0.5**9
    )
    assert G.get("rmsprop").article_label(1) == "RMSProp,lr=21.333333,rou=0.800000"
    assert G.get("adam").article_label(47) == "Adam,lr=%f" % (2 * 1.2**-47)
    assert G.get("newton_reg").article_label(71) == "Newton,alpha=%f" % (20 * 1.2**-71)


def test_pages_cover_every_panel_once():
    for g in G.GALLERIES:
        shown = [k for p in range(g.pages) for k in G.page_of(p * G.PER_PAGE) if k < len(g.values)]
        assert shown == list(range(len(g.values)))
        assert all(i in G.page_of(i) for i in range(len(g.values)))
