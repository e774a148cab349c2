"""The article's variants and its reproduced figures.

Every gallery is checked against a plain Python transcription written here from the
update equations: Python floats, math.sin / math.cos for f'(x) and f''(x) written out
by hand, one run at a time, float operations in the order the equations state them.
The runs must equal these loops bit for bit over all 1000 steps. This relies on NumPy's
vectorised sin and cos returning the C library's digits on this machine, which the
first test checks.
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
from viz import gallery as G
from viz import text

CJK = re.compile(r"[\u4e00-\u9fff]")
X0, STEPS = -20.0, 1000
# The runner's contract: a run diverges when |x - centre| leaves 100 domain widths;
# the article's domain is [-20, 20].
RADIUS = 4000.0
# The first dip the article's function offers from x0 = -20, and the hump to its right.
FIRST_DIP, FIRST_HUMP = -19.227, -18.7229


def df(x: float) -> float:
    return 0.045 * x - math.sin(x) + math.cos(3 * x) - math.sin(5 * x) + math.cos(7 * x)


def d2f(x: float) -> float:
    return 0.045 - math.cos(x) - 3 * math.sin(3 * x) - 5 * math.cos(5 * x) - 7 * math.sin(7 * x)


# --- reference loops: (x, state, t) -> (x_new, state) ---------------------------------------


def gd(lr):
    return lambda x, s, t: (x - lr * df(x), s)


def momentum_article(lr, mu, v0):
    def step(x, v, t):
        v = mu * v - lr * df(x)
        return x + v, v

    return step, v0


def adagrad(lr, eps=1e-10):  # torch order: lr * (g / denom)
    def step(x, s, t):
        g = df(x)
        s = s + g * g
        return x - lr * (g / (math.sqrt(s) + eps)), s

    return step, 0.0


def rmsprop(lr, rho, eps=1e-8):
    def step(x, s, t):
        g = df(x)
        s = rho * s + (1 - rho) * (g * g)
        return x - lr * (g / (math.sqrt(s) + eps)), s

    return step, 0.0


def adam_article(lr, b1, b2, eps=1e-8):
    def step(x, mv, t):
        m, v = mv
        g = df(x)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * (g * g)
        m = m / (1 - b1**t)
        v = v / (1 - b2**t)
        return x - lr * m / (math.sqrt(v) + eps), (m, v)

    return step, (0.0, 0.0)


def adam_torch(lr, b1, b2, eps=1e-8):
    def step(x, mv, t):
        m, v = mv
        g = df(x)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * (g * g)
        bc1, bc2 = 1 - b1**t, 1 - b2**t
        return x - (lr / bc1) * (m / (math.sqrt(v) / math.sqrt(bc2) + eps)), (m, v)

    return step, (0.0, 0.0)


def newton_reg(alpha):
    return lambda x, s, t: (x - df(x) / (d2f(x) + alpha), s)


def loop(step, state=None, x0=X0, steps=STEPS):
    """(path, states, diverged_at): path has steps + 1 entries unless the run diverged
    at step d, when it has d (the last good x is path[-1]) and states has d entries."""
    xs, states, x = [x0], [], x0
    for t in range(1, steps + 1):
        x_new, state = step(x, state, t)
        states.append(state)
        if not abs(x_new) <= RADIUS:
            return xs, states, t
        xs.append(x_new)
        x = x_new
    return xs, states, -1


def with_state(pair):
    step, state = pair if isinstance(pair, tuple) else (pair, None)
    return step, state


# gallery id -> (optimizer, fixed, swept, values from the article's formulas, loop)
EXPECTED = {
    "gd": ("gd", {}, "lr", [16 * 2.0**-i for i in range(10)], lambda v: gd(v)),
    "momentum": (
        "momentum_article",
        {"lr": 0.002, "v0": 1.0},
        "momentum",
        [1 - 2.0**-i for i in range(1, 11)],
        lambda v: momentum_article(0.002, v, 1.0),
    ),
    "adagrad": ("adagrad", {}, "lr", [32 * 1.5**-i for i in range(10)], lambda v: adagrad(v)),
    "rmsprop": (
        "rmsprop",
        {"beta": 0.8},
        "lr",
        [32 * 1.5**-i for i in range(10)],
        lambda v: rmsprop(v, 0.8),
    ),
    "adam": (
        "adam_article",
        {"beta1": 0.9, "beta2": 0.9},
        "lr",
        [2 * 1.2**-i for i in range(10)],
        lambda v: adam_article(v, 0.9, 0.9),
    ),
    "newton_reg": (
        "newton_reg",
        {},
        "alpha",
        [20 * 1.2**-i for i in range(10)],
        lambda v: newton_reg(v),
    ),
}
# The recorded state the loops' state corresponds to.
STATE_FIELDS = {"momentum": ("velocity",), "adam": ("m", "v")}


@pytest.fixture(scope="module")
def trajectories():
    return {g.id: G.run_gallery(g) for g in G.GALLERIES}


def test_numpy_and_math_sin_cos_agree_here():
    xs = np.random.default_rng(1).uniform(-3000, 3000, 100_000)
    np.testing.assert_array_equal(np.sin(xs), [math.sin(x) for x in xs.tolist()])
    np.testing.assert_array_equal(np.cos(xs), [math.cos(x) for x in xs.tolist()])
    fn = functions.get("article")
    assert fn.escape_radius == RADIUS and fn.center == 0.0


# --- the galleries ---------------------------------------------------------------------------


def test_galleries_are_the_articles_six_sweeps():
    assert [g.id for g in G.GALLERIES] == list(EXPECTED)
    for g in G.GALLERIES:
        name, fixed, swept, values, _ = EXPECTED[g.id]
        assert (g.optimizer, g.fixed, g.swept) == (name, fixed, swept)
        assert list(g.values) == values and len(values) == 10
        assert G.get(g.id) is g
    assert G.get("gd").values[:3] == (16.0, 8.0, 4.0) and G.get("gd").values[-1] == 0.03125
    mus = G.get("momentum").values
    assert mus[0] == 0.5 and mus[-1] == 0.9990234375 and all(0 <= m < 1 for m in mus)
    with pytest.raises(ValueError, match="Unknown gallery 'sgd'"):
        G.get("sgd")


@pytest.mark.parametrize("gallery_id", list(EXPECTED))
def test_gallery_equals_plain_python_loops(gallery_id, trajectories):
    traj = trajectories[gallery_id]
    *_, values, make = EXPECTED[gallery_id]
    assert traj.x.shape == (STEPS + 1, 10)
    assert (traj.optimizer, traj.objective, traj.steps) == (
        EXPECTED[gallery_id][0],
        "article",
        STEPS,
    )
    for i, value in enumerate(values):
        path, states, diverged_at = loop(*with_state(make(value)))
        assert int(traj.diverged_at[i]) == diverged_at, value
        n = len(path)
        assert traj.x[:n, i].tolist() == path, value
        assert np.all(traj.x[n:, i] == path[-1]) and traj.x_final[i] == path[-1]
        for k, field in enumerate(STATE_FIELDS.get(gallery_id, ())):
            expected = [s if isinstance(s, float) else s[k] for s in states]
            assert traj.state[field][: len(states), i].tolist() == expected, (value, field)
            assert np.all(np.isnan(traj.state[field][len(states) :, i]))


# Each note's claims, re-measured on the runs themselves.


def _ptp_last(traj, n=100):
    return np.ptp(traj.x[-n:], axis=0)


def test_note_gd(trajectories):
    tr, lrs = trajectories["gd"], np.array(G.get("gd").values)
    big, small = lrs >= 4, lrs <= 0.25
    assert np.all(_ptp_last(tr)[big] > 10) and np.all(tr.settled_at[big] == STEPS)
    assert np.all(np.abs(tr.x_final[small] - FIRST_DIP) < 1e-3)
    assert np.all(tr.settled_at[small] < STEPS)


def test_note_momentum(trajectories):
    tr, mus = trajectories["momentum"], np.array(G.get("momentum").values)
    fn = functions.get("article")
    assert np.all(tr.settled_at[mus <= 0.875] < STEPS)
    assert abs(tr.x_final[3] - fn.x_min) < 1e-3 and mus[3] == 0.9375
    assert np.all(np.abs(tr.x_final[4:] - fn.x_min) > 1)  # larger μ overshoot it
    assert np.all(tr.settled_at[mus >= 0.98] == STEPS)
    assert 95 < tr.x[:, -1].max() < 105


def test_note_adagrad(trajectories):
    tr, lrs = trajectories["adagrad"], np.array(G.get("adagrad").values)
    assert np.all(np.diff(tr.state["lr_eff"], axis=0) <= 0)  # steps keep shrinking
    assert np.all(tr.x[:, lrs <= 1.25].max(axis=0) < FIRST_HUMP)
    # Larger η cross many ripples (their spacing is under 1) before they stall.
    assert np.all(tr.x[:, lrs > 1.25].max(axis=0) > X0 + 5)


def test_note_rmsprop(trajectories):
    tr = trajectories["rmsprop"]
    assert np.all(tr.settled_at == STEPS)
    assert np.all(_ptp_last(tr) > 1.5) and _ptp_last(tr).min() < 2.5


def test_note_adam(trajectories):
    tr, lrs = trajectories["adam"], np.array(G.get("adam").values)
    step = np.abs(tr.dx) / lrs
    assert np.all((step.max(axis=0) > 50) & (step.max(axis=0) < 62))
    assert np.all(np.abs(np.argmax(step, axis=0) + 1 - 20) <= 2)
    assert tr.x.max(axis=0).min() > 740 and tr.x.max() < 2900
    assert np.all(tr.x_final > 20)
    walk = (tr.x[-201] - tr.x[-1]) / 200 / lrs  # walking back at about η per step
    assert np.all(np.abs(walk - 1) < 0.01)


def test_note_newton(trajectories):
    tr = trajectories["newton_reg"]
    assert np.all(tr.state["curvature"] > 0)
    assert np.all(tr.settled_at <= 40)
    assert np.all(np.abs(tr.x_final - FIRST_DIP) < 1e-3)


def test_gallery_texts_in_both_languages():
    for g in G.GALLERIES:
        for part in (g.title, g.note):
            assert set(part) == {"en", "zh"}
            assert part["en"].strip() and part["zh"].strip() and part["zh"] != part["en"]
            assert not CJK.search(part["en"])
        assert CJK.search(g.note["zh"])  # a title may be all symbols: "AdaGrad，η = …"


# --- the variants --------------------------------------------------------------------------


def test_variants_are_named_beside_the_ten_not_among_them():
    assert set(optimizers.OPTIMIZERS).isdisjoint({"momentum_article", "adam_article"})
    assert len(optimizers.OPTIMIZERS) == 18
    mom, adam = optimizers.get("momentum_article"), optimizers.get("adam_article")
    assert mom.label == "Momentum (article, v₀ = 1)"
    assert adam.label == "Adam (article, compounding correction)"
    assert mom.defaults == {"lr": 0.002, "momentum": 0.9, "v0": 1.0}
    assert [f for f, _ in mom.state_labels] == ["velocity"]
    assert [f for f, _ in adam.state_labels] == ["m", "v"]
    for opt in (mom, adam):
        assert opt.latex and all(hp.help for hp in opt.hparams)
    with pytest.raises(ValueError, match=r"Invalid beta2: 1\.0"):
        optimizers.run("adam_article", "article", beta2=1.0)
    with pytest.raises(ValueError, match=r"Invalid momentum: 1\.0"):
        optimizers.run("momentum_article", "article", momentum=1.0)
    with pytest.raises(ValueError, match="Unknown hyperparameter 'v0' for adam_article"):
        optimizers.run("adam_article", "article", v0=0.0)


@pytest.mark.parametrize("v0", [1.0, -3.0, 0.0])
def test_momentum_article_without_momentum_is_gd_exactly(v0):
    """μ = 0: v = 0·v0 − η g = −(η g), and x + (−η g) is x − η g in IEEE arithmetic."""
    lrs = 16 * 2.0 ** -np.arange(10)
    a = optimizers.run("momentum_article", "article", X0, 300, lr=lrs, momentum=0.0, v0=v0)
    b = optimizers.run("gd", "article", X0, 300, lr=lrs)
    np.testing.assert_array_equal(a.x, b.x)


def test_momentum_article_from_rest_is_torch_momentum_up_to_rounding():
    """v0 = 0: v_t = −η b_t where b_t = μ b_{t−1} + g_t (b_1 = g_1) is torch's buffer, so
    both take the same steps. The roundings differ (μ(−η b) − η g against −η(μ b + g)),
    so on the tame quadratic the paths agree to 1e-12, not bit for bit."""
    kw = {"lr": np.array([0.01, 0.1, 0.5]), "momentum": np.array([0.5, 0.9, 0.95])}
    a = optimizers.run("momentum_article", "quadratic", -8.0, 500, v0=0.0, **kw)
    b = optimizers.run("momentum", "quadratic", -8.0, 500, **kw)
    np.testing.assert_allclose(a.x, b.x, rtol=0, atol=1e-12)
    np.testing.assert_allclose(a.state["velocity"], -kw["lr"] * b.state["velocity"], atol=1e-12)
    # v0 = 1 is a different run: its first step already moves x by μ·1.
    c = optimizers.run("momentum_article", "quadratic", -8.0, 1, v0=1.0, **kw)
    np.testing.assert_allclose(c.x[1] - a.x[1], kw["momentum"], rtol=1e-12)


@pytest.mark.parametrize("beta2", [0.9, 0.999])
def test_adam_article_first_step_is_adams(beta2):
    """At t = 1 both divide by 1 − β¹ once: the article's written-back m, v are exactly
    correct Adam's m̂₁, v̂₁, and x₁ agrees up to rounding (the two compute the step in a
    different order: η m̂ / (√v̂ + ε) against (η / bc₁) · m / (√v / √bc₂ + ε))."""
    x0 = np.linspace(-20, 20, 4001)
    lr = np.linspace(0.01, 3, 4001)
    kw = {"lr": lr, "beta1": 0.9, "beta2": beta2}
    a = optimizers.run("adam_article", "article", x0, 2, **kw)
    b = optimizers.run("adam", "article", x0, 2, **kw)
    np.testing.assert_array_equal(a.state["m"][0], b.state["m_hat"][0])
    np.testing.assert_array_equal(a.state["v"][0], b.state["v_hat"][0])
    assert np.all(np.abs(a.x[1] - b.x[1]) <= 4 * np.finfo(float).eps * (20 + lr))
    # From step 2 on the correction compounds: the article divides β₂ v₁ = β₂ v̂₁ by
    # 1 − β₂² where Adam divides β₂ v₁ = β₂ (1 − β₂) v̂₁, so g₁² weighs 1 / (1 − β₂) more.
    ratio = a.state["v"][1] / b.state["v_hat"][1]
    assert np.all(ratio >= 1) and np.median(ratio) > 0.5 / (1 - beta2)
    assert not np.allclose(a.x[2], b.x[2], rtol=1e-6)


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
        for field in ("m", "v"):
            np.testing.assert_array_equal(batch.state[field][:, i], alone.state[field])
    mu = np.array([0.5, 0.9, 0.99, 0.999])
    batch = optimizers.run("momentum_article", "article", X0, 500, momentum=mu, v0=mu * 2 - 1)
    for i, m in enumerate(mu):
        alone = optimizers.run("momentum_article", "article", X0, 500, momentum=m, v0=m * 2 - 1)
        np.testing.assert_array_equal(batch.x[:, i], alone.x)
        np.testing.assert_array_equal(batch.state["velocity"][:, i], alone.state["velocity"])


# --- the beta2 = 0.999 comparison ---------------------------------------------------------------


def test_adam_comparison_numbers_from_plain_loops():
    lr = 2.0
    assert {"lr": lr, "beta1": 0.9, "beta2": 0.999} == G.ADAM_COMPARISON
    path, states, div = loop(*adam_article(lr, 0.9, 0.999))
    assert div == -1
    steps = [abs(b - a) for a, b in itertools.pairwise(path)]
    vs = [v for _, v in states]
    correct, correct_states, _ = loop(*adam_torch(lr, 0.9, 0.999))
    vhat = [v / (1 - 0.999**t) for t, (_, v) in enumerate(correct_states, 1)]
    facts = G.measure(*G.adam_comparison_runs())
    assert facts.lr == lr
    assert facts.tiny == next(t for t, s in enumerate(steps, 1) if s < 1e-6 * lr) == 9
    assert facts.frozen == max(t for t, s in enumerate(steps, 1) if s > 0) == 19
    assert facts.x_frozen == path[-1] == path[19]
    assert facts.inf_step == next(t for t, v in enumerate(vs, 1) if v == math.inf) == 328
    assert facts.x_correct == correct[-1]
    assert (facts.v_lo, facts.v_hi) == (min(vhat), max(vhat))
    # "after a first step of about η"; "v grows about 1000/t-fold per step"
    assert abs(steps[0] - lr) < 1e-6 * lr
    ratios = [vs[t - 1] / vs[t - 2] * t / 1000 for t in range(2, 301)]
    assert all(0.8 < r < 1.2 for r in ratios)
    # x stays frozen while v is inf: every later step is exactly zero.
    assert all(s == 0 for s in steps[19:])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_adam_comparison_figure_and_explanation(lang):
    fig, explanation = G.adam_comparison(lang)
    facts = G.measure(*G.adam_comparison_runs())
    assert explanation == text.t("gallery.adam_explain", lang, **facts._asdict())
    for number in ("328", "19", "-17.46", "3.326", "0.22"):
        assert number in explanation, number
    assert bool(CJK.search(explanation)) == (lang == "zh")
    assert len(fig.data) == 1 + 2 * 4  # f(x); per run: path, end, step size, second moment
    titles = [a.text for a in fig.layout.annotations]
    assert text.t("gallery.adam_v_inf", lang, step=328) in titles
    assert text.t("gallery.adam_v", lang) in titles
    spec = json.loads(pio.to_json(fig, validate=False))
    v_article = decode(spec["data"][4]["y"])
    assert np.isnan(v_article[327:]).all() and np.isfinite(v_article[:327]).all()
    assert spec["layout"]["yaxis3"]["type"] == "log"


# --- the figures ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("gallery_id", list(EXPECTED))
def test_gallery_figure_panels(gallery_id, lang, trajectories):
    g, traj = G.get(gallery_id), trajectories[gallery_id]
    fig = G.gallery_figure(g, traj, lang)
    symbol = {"lr": "η", "momentum": "μ", "alpha": "α"}[g.swept]
    titles = [a.text for a in fig.layout.annotations]
    assert titles == [f"{symbol} = {v:.4g}" for v in EXPECTED[gallery_id][3]]
    assert len(fig.data) == 30  # per panel: f(x), the path, its end point
    spec = json.loads(pio.to_json(fig, validate=False))
    for i in range(10):
        curve, path, end = spec["data"][3 * i : 3 * i + 3]
        axis = "" if i == 0 else str(i + 1)
        assert curve["xaxis"] == path["xaxis"] == end["xaxis"] == f"x{axis}"
        np.testing.assert_array_equal(decode(path["x"]), traj.x[:, i])
        assert decode(end["x"]).tolist() == [traj.x_final[i]]
        assert curve["line"]["color"] == G.GREY
    assert len(pio.to_json(fig)) < 1.5 * 1024 * 1024
    assert "η = 16" in titles or g.id != "gd"
    assert "μ = 0.5" in titles or g.id != "momentum"
    assert "α = 20" in titles or g.id != "newton_reg"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_diverged_runs_are_marked_with_their_step(lang):
    g = G.Gallery(
        id="test",
        optimizer="gd",
        fixed={},
        swept="lr",
        values=tuple(100 * 2.0**-i for i in range(10)),
        title={"en": "t", "zh": "t"},
        note={"en": "n", "zh": "n"},
    )
    traj = G.run_gallery(g)
    diverged = np.flatnonzero(traj.diverged_at >= 0)
    assert 0 < diverged.size < 10
    fig = G.gallery_figure(g, traj, lang)
    titles = [a.text for a in fig.layout.annotations]
    marked = "第 {step} 步发散" if lang == "zh" else "diverged at step {step}"
    for i in range(10):
        mark = marked.format(step=int(traj.diverged_at[i]))
        assert (mark in titles[i]) == (i in diverged), titles[i]
        assert titles[i].startswith(f"η = {g.values[i]:.4g}")
        symbol = fig.data[3 * i + 2].marker.symbol
        assert (symbol == "x-thin-open") == (i in diverged)
