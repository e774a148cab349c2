"""The Explore section's analyses and figures (viz.explore, viz.step_view).

References are independent of the code under test: single scalar runs of
``optimizers.run`` for the vectorised grids, a brute-force grid search for the local
minima, ``np.median`` over separately run seeds, the update equations written out
here for the step inspector. Grids are small (n = 20) to keep the tests quick.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

import numpy as np
import pytest

import functions
import optimizers
from bench import sweep as bench_sweep
from viz import explore
from viz.config import Config
from viz.figures import style
from viz.step_view import inspect_step, newton_model, newton_model_figure
from viz.text import optimizer_label
from viz.text import t as t_

STEPS = 300
N = 20


def cfg_for(function="article", steps=STEPS, **kw) -> Config:
    return Config(function=function, steps=steps, **kw)


def single(name, cfg: Config, **overrides):
    hp = {**cfg.hparams_of(name), **overrides}
    x0 = hp.pop("x0", cfg.start)
    return optimizers.run(name, cfg.objective, x0=x0, steps=cfg.steps, **hp)


def same(a, b) -> bool:
    return bool(np.all((a == b) | (np.isnan(a) & np.isnan(b))))


# --- sweep map ------------------------------------------------------------------------

SWEEPS = [
    ("adam", "beta1", {}),
    ("gd", "x0", {}),  # large learning rates diverge
    ("momentum", "momentum", {}),
    ("rmsprop", "eps", {}),
    ("sgd", "noise", {"sgd": {"seed": 7}}),
    ("adamw", "weight_decay", {"adamw": {"beta2": 0.99}}),
]


@pytest.mark.parametrize(("name", "axis", "hparams"), SWEEPS)
def test_every_sampled_sweep_cell_equals_a_single_run(name, axis, hparams):
    cfg = cfg_for(optimizers=(name,), hparams=hparams)
    sw = explore.sweep(cfg, name, axis, n=N)
    assert sw.x_final.shape == (N, N)
    rng = np.random.default_rng(0)
    cells = [(0, 0), (N - 1, N - 1), (0, N - 1), (N - 1, 0)]
    cells += [tuple(c) for c in rng.integers(0, N, (8, 2))]
    if sw.diverged.any():  # always include a diverged cell when there is one
        cells.append(tuple(np.argwhere(sw.diverged)[0]))
    for i, j in cells:
        ref = single(name, cfg, lr=sw.lr[j], **{axis: sw.y[i]})
        assert sw.x_final[i, j] == ref.x_final, (i, j)
        assert sw.f_final[i, j] == ref.f_final
        assert sw.diverged_at[i, j] == ref.diverged_at
        assert sw.settled_at[i, j] == ref.settled_at
        assert sw.distance[i, j] == abs(ref.x_final - cfg.objective.x_min)


def test_gd_sweep_has_diverged_and_converged_cells():
    sw = explore.sweep(cfg_for(), "gd", "x0", n=N)
    assert sw.diverged.any() and not sw.diverged.all()
    assert not sw.diverged[:, 0].any()  # lr = 1e-4 never diverges


def test_sweep_axes_span_the_spec_ranges_on_their_scales():
    cfg = cfg_for()
    lr = optimizers.get("adam").hparam("lr")
    sw = explore.sweep(cfg, "adam", "beta1", n=N)
    assert math.isclose(sw.lr[0], lr.lo) and math.isclose(sw.lr[-1], lr.hi)
    ratios = sw.lr[1:] / sw.lr[:-1]
    assert np.allclose(ratios, ratios[0])  # log-spaced
    beta1 = optimizers.get("adam").hparam("beta1")
    assert sw.y_scale == "decay" and sw.y[0] == beta1.lo and math.isclose(sw.y[-1], beta1.hi)
    gaps = (1 - sw.y[1:]) / (1 - sw.y[:-1])
    assert np.allclose(gaps, gaps[0])  # crowds towards 1: 1 - y is log-spaced
    eps = explore.sweep(cfg, "adam", "eps", n=N)
    assert eps.y_scale == "log" and math.isclose(eps.y[0], 1e-12)
    x0 = explore.sweep(cfg, "adam", "x0", n=N)
    assert x0.y_scale == "linear" and (x0.y[0], x0.y[-1]) == cfg.objective.bounds
    wd = explore.sweep(cfg, "adam", "weight_decay", n=N)
    assert wd.y_scale == "linear" and np.allclose(np.diff(wd.y), 1 / (N - 1))
    assert explore.sweep(cfg, "adam", "x0", n=N).current == (1.0, -20.0)


def test_integer_axes_are_whole_distinct_values():
    spec = optimizers.get("minibatch").hparam("batch_size")
    values, scale = explore._axis(spec, 30)
    assert scale == "log" and values.dtype.kind == "i"
    assert values[0] == 1 and values[-1] == 1024 and np.all(np.diff(values) > 0)


@pytest.mark.parametrize(
    ("name", "axis", "message"),
    [
        ("newton", "x0", "no learning rate"),
        ("adam", "beta", "Invalid y_axis: 'beta'"),
        ("adam", "lr", "Invalid y_axis"),
        ("sgd", "seed", "Invalid y_axis"),
    ],
)
def test_sweep_refuses_what_it_cannot_map(name, axis, message):
    with pytest.raises(ValueError, match=message):
        explore.sweep(cfg_for(), name, axis, n=N)


def test_sweep_config_reproduces_the_cell_and_survives_a_link():
    cfg = cfg_for(optimizers=("gd", "momentum"))
    for name, axis in (("adam", "beta1"), ("adam", "x0"), ("gd", "x0")):
        sw = explore.sweep(cfg, name, axis, n=N)
        i, j = 13, 11
        cell = explore.sweep_config(cfg, name, axis, sw.lr[j], sw.y[i])
        assert name in cell.optimizers and cell.optimizers[:2] == ("gd", "momentum")
        hp = cell.hparams_of(name)
        assert hp["lr"] == sw.lr[j]
        assert (cell.start if axis == "x0" else hp[axis]) == sw.y[i]
        ref = optimizers.run(name, cell.objective, x0=cell.start, steps=cell.steps, **hp)
        assert ref.x_final == sw.x_final[i, j]
        assert Config.from_query(cell.to_query())[0] == cell


def test_sweep_config_clamps_to_the_ranges():
    cfg = cfg_for()
    cell = explore.sweep_config(cfg, "adam", "beta1", 1e9, 2.0)
    assert cell.hparams_of("adam")["lr"] == 100.0
    assert cell.hparams_of("adam")["beta1"] == 0.9999
    cell = explore.sweep_config(cfg, "gd", "x0", -1e-9, -1e9)
    assert cell.hparams_of("gd")["lr"] == 1e-4 and cell.start == -20.0
    with pytest.raises(ValueError, match="finite"):
        explore.sweep_config(cfg, "gd", "x0", math.nan, 0.0)


def test_sweep_figure_layers_hover_and_pick_data():
    sw = explore.sweep(cfg_for(), "gd", "x0", n=N)
    fig = explore.sweep_figure(sw, "distance", "en")
    types = [tr.type for tr in fig.data]
    assert types == ["heatmap", "heatmap", "scatter", "scattergl", "scattergl"]
    values, diverged = fig.data[0], fig.data[1]
    assert fig.layout.xaxis.type == "log"
    z = np.asarray(values.z, dtype=float)
    assert np.array_equal(np.isnan(z), sw.diverged)
    assert same(z[~sw.diverged], sw.distance[~sw.diverged])
    assert np.array_equal(~np.isnan(np.asarray(diverged.z, dtype=float)), sw.diverged)
    custom = np.asarray(values.customdata)
    i, j = 4, 9
    assert tuple(custom[i, j]) == (sw.lr[j], sw.y[i])
    assert "η" in values.hovertemplate and "distance" in values.hovertemplate
    ok, bad = fig.data[3], fig.data[4]
    assert len(ok.x) + len(bad.x) == N * N and len(bad.x) == sw.diverged.sum()
    ok_custom = np.asarray(ok.customdata)
    assert set(map(tuple, ok_custom[:, :2])) == {
        (sw.lr[j], sw.y[i]) for i, j in np.argwhere(~sw.diverged)
    }
    assert "diverged" in fig.layout.annotations[0].text
    zh = explore.sweep_figure(sw, "settled", "zh")
    assert re.search(r"[\u4e00-\u9fff]", zh.layout.title.text)
    with pytest.raises(ValueError, match="Invalid metric"):
        explore.sweep_figure(sw, "speed", "en")


def test_decay_axis_is_plotted_as_one_minus_beta_on_a_reversed_log_axis():
    sw = explore.sweep(cfg_for(), "adam", "beta2", n=N)
    fig = explore.sweep_figure(sw, "f", "en")
    assert fig.layout.yaxis.type == "log" and fig.layout.yaxis.autorange == "reversed"
    assert np.allclose(np.asarray(fig.data[0].y, dtype=float), 1 - sw.y)
    assert list(fig.layout.yaxis.ticktext) == ["0", "0.9", "0.99", "0.999", "0.9999"]
    custom = np.asarray(fig.data[0].customdata)
    assert np.array_equal(custom[:, 0, 1], sw.y)  # the clicked y is beta2 itself


# --- basins of attraction ---------------------------------------------------------------


def brute_force_minima(fn, points=400_001):
    """Interior grid points lower than both neighbours, plus endpoints lower than theirs."""
    xs = np.linspace(*fn.bounds, points)
    f = fn.f(xs)
    inner = np.flatnonzero((f[1:-1] < f[:-2]) & (f[1:-1] < f[2:])) + 1
    ends = [0] if f[0] < f[1] else []
    ends += [points - 1] if f[-1] < f[-2] else []
    return np.sort(xs[np.concatenate([inner, ends]).astype(int)])


@pytest.mark.parametrize("name", list(functions.FUNCTIONS))
def test_local_minima_are_real_minima_and_include_the_global_one(name):
    fn = functions.get(name)
    minima = explore.local_minima(fn)
    lo, hi = fn.bounds
    assert minima.size and np.all(np.diff(minima) > 0)
    for m in minima:
        if m in (lo, hi):  # an endpoint minimum: f rises into the domain
            assert fn.df(m) > 0 if m == lo else fn.df(m) < 0
        else:
            assert abs(fn.df(m)) < 1e-8 and fn.d2f(m) > 0, m
    assert np.min(np.abs(minima - fn.x_min)) < 1e-8
    ref = brute_force_minima(fn)
    assert minima.size == ref.size
    assert np.allclose(minima, ref, atol=2 * (hi - lo) / 400_000)


@pytest.mark.parametrize(
    ("expr", "bounds", "expected"),
    [("x^2", (1.0, 3.0), [1.0]), ("-x", (-1.0, 2.0), [2.0]), ("(x - 1)^2", (-2.0, 4.0), [1.0])],
)
def test_endpoint_minima_of_typed_functions(expr, bounds, expected):
    minima = explore.local_minima(functions.from_expression(expr, bounds))
    assert np.allclose(minima, expected, atol=1e-12)


def test_basin_entries_equal_single_runs():
    cfg = cfg_for(optimizers=("gd", "adam", "newton_reg", "sgd"), hparams={"gd": {"lr": 0.5}})
    data = explore.basins(cfg, n=N)
    assert np.array_equal(data.x0, np.linspace(*cfg.objective.bounds, N))
    assert data.minima[data.global_index] == pytest.approx(cfg.objective.x_min, abs=1e-8)
    tol = explore.BASIN_TOL * 40.0
    for name, run in data.runs.items():
        for i in range(N):
            ref = single(name, cfg, x0=data.x0[i])
            assert run.x_final[i] == ref.x_final and run.diverged_at[i] == ref.diverged_at
            gap = np.abs(data.minima - ref.x_final)
            if ref.diverged_at >= 0:
                assert run.basin[i] == explore.DIVERGED
            elif gap.min() <= tol:
                assert run.basin[i] == np.argmin(gap)
            else:
                assert run.basin[i] == explore.ELSEWHERE
    assert not data.errors


def test_basins_skip_an_optimizer_that_cannot_run_and_say_why():
    cfg = cfg_for(
        optimizers=("gd", "momentum"), hparams={"momentum": {"momentum": 0.0, "nesterov": True}}
    )
    data = explore.basins(cfg, n=N)
    assert list(data.runs) == ["gd"] and "Nesterov" in data.errors["momentum"]


def test_basins_figure_traces_colours_and_the_global_line():
    cfg = cfg_for(optimizers=("gd", "adam"), hparams={"gd": {"lr": 60.0}})
    data = explore.basins(cfg, n=N)
    fig = explore.basins_figure(data, "en")
    names = [tr.name for tr in fig.data]
    assert names[0] == "local minima"
    assert names[1].startswith("global minimum x* = -2.934")
    assert list(fig.data[1].y) == [data.minima[data.global_index]] * 2
    ys = np.asarray(fig.data[0].y, dtype=float)
    assert set(ys[~np.isnan(ys)]) == set(data.minima)
    for name in ("gd", "adam"):
        (trace,) = [tr for tr in fig.data if tr.name == optimizer_label(name, "en")]
        assert trace.marker.color == style(name)[0]
        ok = data.runs[name].diverged_at < 0
        assert np.array_equal(np.asarray(trace.y, dtype=float), data.runs[name].x_final[ok])
    assert (data.runs["gd"].diverged_at >= 0).any()  # lr = 60 throws some starts away
    assert any(tr.name == "Gradient Descent: diverged" for tr in fig.data)


# --- noise ensembles --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sgd", "minibatch"])
def test_ensemble_median_and_band_equal_separately_run_seeds(name):
    cfg = cfg_for(steps=100, hparams={name: {"seed": 11, "noise": 2.0}})
    k = 7
    data = explore.ensemble(cfg, name, k=k)
    assert list(data.seeds) == list(range(11, 11 + k))
    paths = np.stack([single(name, cfg, seed=s).x for s in range(11, 11 + k)], axis=1)
    assert np.array_equal(data.x, paths)
    assert np.array_equal(data.median, np.median(paths, axis=1))
    assert np.array_equal(data.lo, np.quantile(paths, 0.1, axis=1))
    assert np.array_equal(data.hi, np.quantile(paths, 0.9, axis=1))
    lr = cfg.hparams_of(name)["lr"]
    assert np.array_equal(data.gd_x, single("gd", cfg, lr=lr).x)
    assert np.all(data.lo <= data.median) and np.all(data.median <= data.hi)


def test_ensemble_refuses_noise_free_optimizers_and_draws_the_fan():
    with pytest.raises(ValueError, match="ensembles need one of sgd, minibatch"):
        explore.ensemble(cfg_for(), "adam")
    data = explore.ensemble(cfg_for(steps=50), "sgd", k=10)
    fig = explore.ensemble_figure(data, "en")
    names = [tr.name for tr in fig.data]
    assert names.count("single runs") == explore.SHOWN_RUNS
    band_hi = fig.data[names.index("middle 10–90 % of 10 runs") + 0]
    assert band_hi.fill is None and fig.data[names.index("median of 10 runs") - 1].fill == "tonexty"
    assert np.array_equal(fig.data[names.index("median of 10 runs")].y, data.median)
    gd = fig.data[names.index("gradient descent (no noise)")]
    assert np.array_equal(gd.y, data.gd_x) and gd.line.dash == "dash"


# --- Newton's local model ---------------------------------------------------------------


@pytest.mark.parametrize("fn_name", ["article", "double_well", "rastrigin", "cliff"])
@pytest.mark.parametrize("alpha", [0.0, 0.5, 10.0])
def test_newton_model_stationary_point_is_the_newton_reg_step(fn_name, alpha):
    fn = functions.get(fn_name)
    for x in np.linspace(*fn.bounds, 13)[1:-1]:
        m = newton_model(fn, x, alpha)
        curvature = fn.d2f(x) + alpha
        assert m["hill"] == (curvature <= 0)
        assert m["curvature"] == curvature
        step = optimizers.run("newton_reg", fn, x0=x, steps=1, alpha=alpha)
        if step.diverged_at < 0:
            assert m["x_star"] == step.x[1]
        # q matches f, f' and f'' + alpha at x_t, and is stationary at x_star.
        h = 1e-4
        q = m["q"]
        assert q(x) == fn.f(x)
        assert (q(x + h) - q(x - h)) / (2 * h) == pytest.approx(fn.df(x), rel=1e-6, abs=1e-9)
        assert (q(x + h) - 2 * q(x) + q(x - h)) / h**2 == pytest.approx(curvature, rel=1e-4)
        xs = m["x_star"]
        assert q(xs + h) - q(xs - h) == pytest.approx(0, abs=1e-9 * max(1, abs(q(xs))))


def test_newton_model_figure_draws_model_jump_and_uphill_steps():
    fn = functions.get("article")
    traj = optimizers.run("newton", fn, x0=-20.0, steps=30)
    t = 1  # step 1 starts from x_0
    fig = newton_model_figure(fn, traj, t, 0.0, "en")
    names = [tr.name for tr in fig.data]
    assert names[:4] == [
        "f(x)",
        "Newton's method",
        "Newton's local model q(x)",
        "jump to the model's stationary point",
    ]
    m = newton_model(fn, traj.x[t - 1], 0.0)
    # The same step the inspector and the run call step t.
    assert m["curvature"] == traj.state["curvature"][t - 1]
    model = fig.data[2]
    qx = np.asarray(model.x, dtype=float)
    d = qx - traj.x[t - 1]
    x = traj.x[t - 1]
    ref = fn.f(x) + fn.df(x) * d + 0.5 * fn.d2f(x) * d * d
    assert np.allclose(np.asarray(model.y, dtype=float), ref)
    assert list(fig.data[3].x) == [traj.x[t - 1], traj.x[t]]  # Newton's own step t
    assert list(fig.data[3].y) == [m["f"], m["q_star"]]
    uphill = np.flatnonzero(fn.d2f(traj.x[:-1]) <= 0)
    assert uphill.size  # from -20 Newton climbs to a maximum
    name = t_("uphill", "en", label="Newton's method", curvature="f″")
    (marks,) = [tr for tr in fig.data if tr.name == name]
    assert np.array_equal(np.asarray(marks.x, dtype=float), traj.x[uphill])
    assert ("hill" in fig.layout.title.text) == m["hill"]
    for bad in (0, 31):
        with pytest.raises(ValueError, match="Invalid t"):
            newton_model_figure(fn, traj, bad, 0.0, "en")


# --- the step inspector -----------------------------------------------------------------


def fmt(v: float, digits: int = 6) -> str:
    """The inspector's number format, written independently: 6 significant digits."""
    s = f"{float(v):.{digits}g}"
    if "e" in s:
        mant, exp = s.split("e")
        return f"{mant} \\times 10^{{{int(exp)}}}"
    return s


def shows(latex: str, lhs: str, value: float) -> bool:
    """Whether some row of ``latex`` starting with ``lhs`` ends with ``= value``: at 6
    significant digits, or at the more the row shows (where its arithmetic needs them)."""
    for row in latex.split(r" \\ "):
        row = row.replace(r"\begin{aligned} ", "").replace(r" \end{aligned}", "")
        if not row.startswith(f"{lhs} &="):
            continue
        shown = row.rsplit("= ", 1)[-1]
        digits = shown.split(r" \times")[0].lstrip("-").replace(".", "").lstrip("0")
        d = max(6, len(digits))
        if shown == fmt(value) or shown == fmt(float(f"{float(value):.{d}g}"), d):
            return True
    return False


def test_inspector_gd_numbers_are_the_trajectory_s():
    fn = functions.get("article")
    traj = optimizers.run("gd", fn, x0=-20.0, steps=50, lr=0.1)
    for t in (1, 2, 17, 50):
        x_prev, g, x_new = traj.x[t - 1], traj.grad[t - 1], traj.x[t]
        assert x_prev - 0.1 * g == x_new  # the rule the inspector shows
        assert g == fn.df(x_prev)
        latex = inspect_step("gd", traj, t, {"lr": 0.1})
        assert latex.startswith(r"\begin{aligned}") and latex.endswith(r"\end{aligned}")
        assert shows(latex, "x_{t-1}", x_prev)
        assert shows(latex, "g_t", g)
        # The rule's step, -η g: at step 50 it is below the float spacing at x and
        # x_new - x_prev is 0, which the page says instead of claiming -η g = 0.
        assert shows(latex, r"\Delta x_t", -0.1 * g)
        assert (x_new == x_prev) == ("x does not change" in latex)
        assert shows(latex, "x_t", x_new)
        assert f"-0.1 \\times {fmt(g) if g >= 0 else f'({fmt(g)})'}" in latex


def test_inspector_momentum_velocity_follows_the_rule():
    fn = functions.get("article")
    hp = {"lr": 0.05, "momentum": 0.8, "dampening": 0.1}
    traj = optimizers.run("momentum", fn, x0=-20.0, steps=40, **hp)
    v = None
    for t in range(1, 41):
        g = fn.df(traj.x[t - 1])
        v = g if t == 1 else 0.8 * v + (1 - 0.1) * g
        assert v == pytest.approx(traj.state["velocity"][t - 1], rel=1e-12)
    for t in (1, 9, 40):
        latex = inspect_step("momentum", traj, t, hp)
        assert shows(latex, "v_t", traj.state["velocity"][t - 1])
        assert shows(latex, r"\Delta x_t", traj.x[t] - traj.x[t - 1])
        assert shows(latex, "x_t", traj.x[t])
    assert r"(v_1 = g_1)" in inspect_step("momentum", traj, 1, hp)


@pytest.mark.parametrize("name", ["adam", "adamw"])
def test_inspector_adam_moments_corrections_and_step(name):
    fn = functions.get("article")
    b1, b2, lr, eps = 0.8, 0.99, 0.5, 1e-8
    hp = {"lr": lr, "beta1": b1, "beta2": b2, "eps": eps}
    traj = optimizers.run(name, fn, x0=-20.0, steps=30, **hp)
    m = v = 0.0
    for t in range(1, 31):
        g = traj.grad[t - 1]
        m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
        bc1, bc2 = 1 - b1**t, 1 - b2**t
        if t in (1, 2, 12, 30):
            latex = inspect_step(name, traj, t, hp)
            assert shows(latex, "m_t", m) and shows(latex, "v_t", v)
            assert shows(latex, r"1 - \beta_1^t", bc1) and shows(latex, r"1 - \beta_2^t", bc2)
            assert shows(latex, r"\hat m_t", m / bc1) and shows(latex, r"\hat v_t", v / bc2)
            assert shows(latex, r"\eta_{\text{eff}}", lr / (math.sqrt(v / bc2) + eps))
            assert shows(latex, r"\Delta x_t", traj.x[t] - traj.x[t - 1])
            assert shows(latex, "x_t", traj.x[t])


def test_inspector_covers_all_ten_and_shows_divergence():
    fn = functions.get("article")
    for name in optimizers.OPTIMIZERS:
        traj = optimizers.run(name, fn, x0=-20.0, steps=8)
        latex = inspect_step(name, traj, 5, {})
        dx = traj.x[5] - traj.x[4]
        if dx == 0:  # a step lost to rounding: the rule's nonzero step, and a note
            assert "x does not change" in latex and not shows(latex, r"\Delta x_t", 0.0)
        else:
            assert shows(latex, r"\Delta x_t", dx), name
        assert shows(latex, "g_t", traj.grad[4]), name
    newton = optimizers.run("newton_reg", fn, x0=-20.0, steps=8, alpha=0.0)
    c = newton.state["curvature"][2]
    latex = inspect_step("newton_reg", newton, 3, {"alpha": 0.0})
    assert shows(latex, r"f''(x_{t-1}) + \alpha", c)
    assert ("heads for a maximum" in latex) == (c <= 0)
    gd = optimizers.run("gd", fn, x0=-20.0, steps=40, lr=100.0)
    d = int(gd.diverged_at)
    assert 1 <= d < 40
    assert "left the domain" in inspect_step("gd", gd, d, {"lr": 100.0})
    assert f"diverged at step {d}" in inspect_step("gd", gd, d + 1, {"lr": 100.0})
    assert "第" in inspect_step("gd", gd, d + 1, {"lr": 100.0}, "zh")
    with pytest.raises(ValueError, match="Invalid t"):
        inspect_step("gd", gd, 0, {})
    with pytest.raises(ValueError, match="it ran 'gd', not 'adam'"):
        inspect_step("adam", gd, 1, {})


def test_inspector_shows_the_runs_own_hyperparameters():
    traj = optimizers.run("gd", "article", x0=-20.0, steps=3, lr=0.1)
    latex = inspect_step("gd", traj, 2, {"lr": 5.0})
    assert r"-\eta\, g_t = -0.1 \times" in latex and "-5 \\times" not in latex


def test_inspector_formats_six_significant_digits_and_exponents():
    fn = functions.get("quadratic")
    traj = optimizers.run("gd", fn, x0=3.0 + 1e-9, steps=3, lr=0.5)
    latex = inspect_step("gd", traj, 1, {"lr": 0.5})
    assert r"\times 10^{-10}" in latex  # Δx = -5e-10
    assert shows(latex, "x_t", traj.x[1])


# --- the benchmark ----------------------------------------------------------------------


def test_bench_sweep_quick_reports_time_ratio_and_agreement(capsys):
    assert bench_sweep.main(["--quick", "--axis", "x0"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"wall time +\d+\.\d+ m?s +< 1 s +(PASS|MISS)", out), out
    assert re.search(r"ratio vectorised / scalar +\d+\.\d+x", out), out
    assert "agree: yes" in out


def test_configs_are_not_mutated():
    cfg = cfg_for(hparams={"adam": {"lr": 0.5}})
    before = replace(cfg)
    explore.sweep(cfg, "adam", "beta1", n=N)
    explore.sweep_config(cfg, "adam", "beta1", 0.1, 0.5)
    assert cfg == before and cfg.hparams == {"adam": {"lr": 0.5}}


def test_sweep_maps_stay_quick_by_a_rule_of_the_settings_alone():
    article = Config()
    assert explore.sweep_cells(article) == explore.MAX_CELLS
    assert explore.sweep_cells(replace(article, steps=5000)) == explore.MAX_CELLS
    long_expr = "+".join(f"sin({i}x)*tanh(x/{i})" for i in range(1, 10))
    typed = Config(function="custom", expr=long_expr, lo=-5.0, hi=5.0, steps=5000)
    n = explore.sweep_cells(typed)
    assert 10 <= n < explore.MAX_CELLS
    # The budget holds: cells x steps x cost, the cost growing with the text's length.
    assert n * n * typed.steps * explore.work_cost(typed) <= explore.SWEEP_BUDGET
    assert explore.work_cost(typed) > explore.work_cost(replace(typed, expr="x^2")) > 1


def test_basins_wait_for_a_click_only_when_long():
    every = tuple(optimizers.OPTIMIZERS)
    ten = every[:10]
    assert explore.basins_quick(Config(steps=5000, optimizers=ten))
    assert not explore.basins_quick(Config(steps=5000, optimizers=every))
    typed = Config(function="custom", steps=5000, optimizers=every)
    assert not explore.basins_quick(typed)
    assert explore.basins_quick(replace(typed, steps=1000, optimizers=("gd", "adam")))
