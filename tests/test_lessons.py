"""Lessons: every link parses cleanly, and every number a lesson quotes is re-measured
on the lesson's own configuration, so a text cannot silently become false."""

import json
import math

import numpy as np
import pytest

import functions
import optimizers
from tests.plotly_json import decode
from viz import lessons
from viz.config import LANGUAGES, Config
from viz.lessons import LESSONS, lesson_config, lesson_url_query

# The first dip the article's function offers from x0 = -20, and the hump to its right.
FIRST_DIP, FIRST_HUMP = -19.227, -18.7229


def runs_of(lesson_id: str, **changes) -> dict[str, optimizers.Trajectory]:
    """The lesson's runs exactly as the page makes them; ``changes`` maps an optimizer to
    hyperparameters that override the lesson's (what a student does with a slider)."""
    cfg = lesson_config(lessons.get(lesson_id))
    return {
        n: optimizers.run(
            n,
            cfg.objective,
            float(cfg.start),
            cfg.steps,
            **{**cfg.hparams_of(n), **changes.get(n, {})},
        )
        for n in cfg.optimizers
    }


def near(value, target, tol=0.005) -> bool:
    return abs(float(value) - target) <= tol


# Every lesson


def test_there_are_enough_lessons_with_unique_ids():
    assert len(LESSONS) >= 7
    assert len({lesson.id for lesson in LESSONS}) == len(LESSONS)
    assert all(lessons.get(lesson.id) is lesson for lesson in LESSONS)
    with pytest.raises(ValueError, match="Unknown lesson 'nope'; choose one of lr_extremes"):
        lessons.get("nope")


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_lesson_query_parses_without_notices_and_is_canonical(lesson):
    cfg, notices = Config.from_query(lesson.query)
    assert notices == []
    # Written as the page writes it: nothing redundant, so the URL does not change
    # when the page syncs it.
    assert cfg.to_query() == lesson.query
    assert len(cfg.optimizers) >= 1


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_lesson_url_query_adds_the_language(lesson, lang):
    query = lesson_url_query(lesson, lang)
    assert query == {**lesson.query, "lang": lang}
    cfg, notices = Config.from_query(query)
    assert notices == [] and cfg.lang == lang
    assert cfg == lesson_config(lesson, lang)


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="Unknown language 'fr'"):
        lesson_url_query(LESSONS[0], "fr")


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_every_lesson_runs_without_error(lesson):
    for traj in runs_of(lesson.id).values():
        assert traj.x.shape[0] == lesson_config(lesson).steps + 1


# The claims, lesson by lesson


def test_lr_extremes():
    runs = runs_of("lr_extremes")
    gd, sgd = runs["gd"], runs["sgd"]
    assert near(gd.x_final, FIRST_DIP) and int(gd.settled_at) == 145
    fn = functions.get("article")
    assert near(fn.x_min, -2.93)
    # SGD with sigma = 0 is gradient descent, to the last digit.
    plain = optimizers.run("gd", fn, x0=-20.0, steps=1000, lr=50.0)
    assert np.array_equal(sgd.x, plain.x)
    assert int(sgd.diverged_at) == 20
    # 2 / (bowl curvature 0.045) ~ 44: the first learning rate that is thrown away.
    assert abs(2 / 0.045 - 44.4) < 0.05
    # Dragging gd's lr up: from ~0.3 it no longer comes to rest, around 1 it hops.
    assert int(runs_of("lr_extremes", gd={"lr": 0.2})["gd"].settled_at) < 1000
    assert int(runs_of("lr_extremes", gd={"lr": 0.3})["gd"].settled_at) == 1000
    hop = runs_of("lr_extremes", gd={"lr": 1.0})["gd"]
    assert np.ptp(hop.x[500:]) > 2  # still jumping between dips late in the run


def test_lr_limit():
    runs = runs_of("lr_limit")
    gd, sgd = runs["gd"], runs["sgd"]
    e = gd.x - 3.0
    assert np.all(np.sign(e[1:21]) == -np.sign(e[:20]))  # overshoots every time
    assert np.allclose(e[1:], -0.9 * e[:-1], atol=1e-12)
    assert abs(float(gd.x_final) - 3) < 1e-3
    assert int(gd.diverged_at) == -1
    assert int(sgd.diverged_at) == 55
    one = runs_of("lr_limit", gd={"lr": 1.0})["gd"]
    assert one.x[1] == 3.0 and int(one.settled_at) == 1


def test_momentum_escape():
    runs = runs_of("momentum_escape")
    gd, mom = runs["gd"], runs["momentum"]
    fn = functions.get("double_well")
    assert fn.x0 == 2.2
    assert near(gd.x_final, 1.35) and near(gd.f_final, -2.62)
    assert near(mom.x_final, -1.47) and near(mom.f_final, -5.44)
    assert near(mom.x_final, fn.x_min, 1e-6) and int(mom.settled_at) < 1000
    low = runs_of("momentum_escape", momentum={"momentum": 0.85})["momentum"]
    assert near(low.x_final, 1.35)


def test_adagrad_stalls():
    runs = runs_of("adagrad_stalls")
    ada, rms = runs["adagrad"], runs["rmsprop"]
    fn = functions.get("cliff")
    lr_eff = ada.state["lr_eff"]  # row t - 1 is step t
    ratios = lr_eff[1:] / lr_eff[:-1]
    assert int(np.argmin(ratios)) + 2 == 21
    assert round(float(lr_eff[19]), 2) == 0.50 and round(float(lr_eff[20]), 2) == 0.10
    assert lr_eff[20:].max() < 0.103 and lr_eff[20:].min() > 0.097  # for good
    assert near(ada.x_final, 5.85) and int(ada.settled_at) == 1000  # still creeping
    assert near(fn.x_min, 6.0, 1e-9)
    # The cliff is about 60 times steeper than the gentle slope before it.
    xs = np.linspace(*fn.bounds, 200_001)
    gentle = np.abs(fn.df(xs[xs < -3])).max()
    assert 55 < np.abs(fn.df(xs)).max() / gentle < 70
    assert abs(0.99**69 - 0.5) < 0.001
    assert float(rms.x_final) == pytest.approx(6.0, abs=1e-6) and int(rms.settled_at) == 86
    assert rms.state["lr_eff"][-1] > rms.state["lr_eff"][100] > rms.state["lr_eff"][30]


def test_adam_bias_correction():
    runs = runs_of("adam_bias_correction")
    raw, corrected = runs["adam"], runs["adamw"]
    cfg = lesson_config(lessons.get("adam_bias_correction"))
    adam = optimizers.run("adam", cfg.objective, float(cfg.start), cfg.steps)
    assert np.array_equal(corrected.x, adam.x)  # AdamW(lambda = 0) == Adam
    assert corrected.dx[0] == pytest.approx(1.0, abs=1e-8)
    assert raw.dx[0] / corrected.dx[0] == pytest.approx(0.1 / math.sqrt(0.001), rel=1e-6)
    assert 0.1 / math.sqrt(0.001) == pytest.approx(3.16, abs=0.005)
    assert math.sqrt(0.001) == pytest.approx(0.032, abs=0.0005)
    # Under a steady gradient the uncorrected step is (1 - b1^t) / sqrt(1 - b2^t) times
    # the corrected one: between 3 and 6.6 for the first hundred steps.
    t = np.arange(1, 101)
    ratio = (1 - 0.9**t) / np.sqrt(1 - 0.999**t)
    assert ratio.min() > 3 and round(float(ratio.max()), 1) == 6.6
    assert near(raw.x_final, 1.76) and near(corrected.x_final, FIRST_DIP)
    assert raw.x.max() > FIRST_HUMP and corrected.x.max() < FIRST_HUMP


def test_newton_quadratic():
    runs = runs_of("newton_quadratic")
    gd, newton = runs["gd"], runs["newton"]
    assert newton.x[1] == 3.0 and np.all(newton.x[1:] == 3.0)
    assert int(newton.settled_at) == 1
    assert 3 - float(gd.x_final) == pytest.approx(3e-4, rel=0.05)


def test_newton_article():
    runs = runs_of("newton_article")
    gd, newton = runs["gd"], runs["newton"]
    assert near(newton.x[1], -18.71) and near(newton.state["curvature"][1], -11.8, 0.05)
    assert int(newton.settled_at) == 3
    fn = functions.get("article")
    x = float(newton.x_final)
    assert near(x, -18.72) and abs(fn.df(x)) < 1e-9 and fn.d2f(x) < 0  # a maximum
    assert near(gd.x_final, FIRST_DIP)
    uphill = newton.state["curvature"] <= 0
    assert not uphill[0] and uphill[1:].all()


def test_newton_reg_alpha():
    runs = runs_of("newton_reg_alpha")
    gd, reg, newton = runs["gd"], runs["newton_reg"], runs["newton"]
    lr_eff = reg.state["lr_eff"]
    assert round(float(lr_eff.min()), 4) == 0.0094 and round(float(lr_eff.max()), 4) == 0.0100
    assert near(reg.x_final, FIRST_DIP) and near(gd.x_final, FIRST_DIP)
    assert int(reg.settled_at) == 150 and int(gd.settled_at) == 145
    for alpha, settled in ((10.0, 21), (1.0, 5)):
        run = runs_of("newton_reg_alpha", newton_reg={"alpha": alpha})["newton_reg"]
        assert near(run.x_final, FIRST_DIP) and int(run.settled_at) == settled
    zero = runs_of("newton_reg_alpha", newton_reg={"alpha": 0.0})["newton_reg"]
    assert np.array_equal(zero.x, newton.x) and near(newton.x_final, -18.72)


def test_sgd_noise_batch():
    runs = runs_of("sgd_noise_batch")
    gd, sgd, mb = runs["gd"], runs["sgd"], runs["minibatch"]
    assert float(optimizers.get("minibatch").noise_scale(mb.hparams)) == 0.75
    assert int(np.argmax(sgd.x > FIRST_HUMP)) == 13
    assert mb.x.max() < FIRST_HUMP
    assert near(gd.x_final, FIRST_DIP) and int(gd.settled_at) < 1000
    assert int(sgd.settled_at) == 1000 and int(mb.settled_at) == 1000  # never settle
    # Not a fluke: every seed from 0 to 49.
    seeds = np.arange(50)
    fn = functions.get("article")
    all_sgd = optimizers.run("sgd", fn, x0=-20.0, steps=1000, noise=3.0, seed=seeds)
    all_mb = optimizers.run("minibatch", fn, x0=-20.0, steps=1000, noise=3.0, seed=seeds)
    assert (all_sgd.x.max(axis=0) > FIRST_HUMP).all()
    assert not (all_mb.x.max(axis=0) > FIRST_HUMP).any()


def test_lion_constant_step():
    runs = runs_of("lion_constant_step")
    gd, lion = runs["gd"], runs["lion"]
    assert lion.hparams["lr"] == 0.1 and gd.hparams["lr"] == 0.1
    # Every step has a non-zero sign, and every step is exactly lr long.
    assert np.all(np.sign(lion.state["blend"]) != 0)
    np.testing.assert_allclose(np.abs(lion.dx), 0.1, rtol=1e-12)
    assert lion.x[0] == -8.0 and near(lion.x[110], 3.0, 1e-9)
    np.testing.assert_allclose(lion.x[:111], -8.0 + 0.1 * np.arange(111), atol=1e-12)
    assert gd.dx[0] == pytest.approx(1.1) and np.all(np.diff(np.abs(gd.dx)) <= 0)
    assert int(gd.settled_at) == 104
    assert near(lion.x.max(), 8.4, 1e-9) and int(lion.settled_at) == 300
    late = lion.x[150:]
    assert near(late.min(), 0.4, 1e-9) and near(late.max(), 8.4, 1e-9)


def test_radam_warmup():
    runs = runs_of("radam_warmup")
    adam, radam = runs["adam"], runs["radam"]
    assert adam.hparams["lr"] == radam.hparams["lr"] == 1.0
    rho, rect = radam.state["rho"], radam.state["rect"]
    assert np.all(rho[:5] <= 5) and np.all(rho[5:] > 5)  # trusted from step 6
    # The first five steps: eta * m_hat, 0.8 to 2.2 long.
    np.testing.assert_allclose(radam.dx[:5], -radam.state["m_hat"][:5], rtol=1e-12)
    first = np.abs(radam.dx[:5])
    assert round(float(first.min()), 1) == 0.8 and round(float(first.max()), 1) == 2.2
    assert near(radam.x[5], -12.5, 0.05) and radam.x[5] > FIRST_HUMP
    assert round(float(rect[5]), 3) == 0.026 and round(float(rect[99]), 2) == 0.22
    assert np.all(np.diff(rect[5:]) > 0)
    assert near(radam.x_final, -12.99) and int(radam.settled_at) == 202
    assert int(adam.settled_at) == 1000  # still moving at the end
    assert np.all(np.abs(adam.x[1:] - FIRST_DIP) < 0.6)  # around the first dip


def test_schedule_free():
    runs = runs_of("schedule_free")
    gd, sf = runs["gd"], runs["sf_sgd"]
    fn = functions.get("quadratic")
    assert fn.d2f(0.0) == 1.0 and gd.hparams["lr"] == sf.hparams["lr"] == 2.0
    assert set(gd.x[::2]) == {-8.0} and set(gd.x[1::2]) == {14.0}  # bounces forever
    far = np.flatnonzero(np.abs(sf.state["x_avg"] - 3.0) >= 1e-3)
    assert int(far[-1]) + 2 == 52  # row t - 1 is step t: close from step 52 on
    assert int(sf.settled_at) == 69 and near(sf.x_final, 3.0, 1e-6)


def test_prodigy_step_size():
    runs = runs_of("prodigy_step_size")
    adam, prodigy = runs["adam"], runs["prodigy"]
    assert adam.hparams["lr"] == 0.001 and prodigy.hparams["lr"] == 1.0
    assert near(adam.x_final, -7.02)
    d = prodigy.state["d"]
    assert optimizers.get("prodigy").defaults["d0"] == 1e-6
    assert round(float(abs(prodigy.x[10] - prodigy.x[0])), 3) == 0.011
    growth = d[5:16] / d[4:15]
    assert np.all(np.abs(growth - 2.6) < 0.05)
    assert int(np.argmax(d == d[-1])) + 1 == 18 and round(float(d[-1]), 2) == 6.41
    assert np.all(d[17:] == d[-1])
    fn = functions.get("quadratic")
    assert abs(fn.x_min - fn.x0) == 11.0  # the distance to the minimum
    assert near(prodigy.x_final, 3.0, 1e-9) and int(prodigy.settled_at) == 265


def test_every_lesson_has_its_claims_tested():
    tested = {name.removeprefix("test_") for name in globals() if name.startswith("test_")}
    assert {lesson.id for lesson in LESSONS} <= tested


# Each lesson's point is visible as the lesson opens


def panel_of(spec: dict, panel: str, state: str | None) -> str:
    """The y axis ("y", "y2", "y3") of the panel called ``panel``: f, x or the state."""
    panels = ["f", "x", *([state] if state else [])]
    assert panel in panels, f"the lesson shows {panels}, not {panel}"
    i = panels.index(panel) + 1
    return "y" if i == 1 else f"y{i}"


def visible_fraction(spec: dict, axis: str, name: str) -> float:
    """How much of the height of panel ``axis`` the line of optimizer ``name`` spans:
    the part of its values inside the axis range, in the axis' own units (log10 on a log
    axis). Without a set range, Plotly's autorange: every trace on the axis."""
    layout = spec["layout"]["yaxis" + axis[1:]]
    log = layout.get("type") == "log"

    def values(trace):
        y = decode(trace["y"])
        y = y[np.isfinite(y) & ((y > 0) if log else True)]
        return np.log10(y) if log else y

    on_axis = [d for d in spec["data"] if d.get("yaxis", "y") == axis]
    if "range" in layout:
        lo, hi = layout["range"]
    else:
        every = np.concatenate([values(d) for d in on_axis])
        lo, hi = every.min(), every.max()
    [line] = [d for d in on_axis if d["legendgroup"] == name]
    y = np.clip(values(line), lo, hi)
    return float((y.max() - y.min()) / (hi - lo))


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_each_lesson_makes_its_point_visible_without_fiddling(lesson):
    """Every line a lesson asks students to watch spans at least a sixth of its panel
    as the lesson opens (AdaGrad's effective learning rate beside RMSprop's is flat on
    a linear axis: it needs the log axis the panel picks)."""
    import plotly.io as pio

    from viz import figures
    from viz.text import t

    assert lesson.watch, "a lesson names where its point shows"
    cfg = lesson_config(lesson)
    runs = [figures.Run(n, n, tr) for n, tr in runs_of(lesson.id).items()]
    state = figures.state_shown(runs, cfg.panel_state)
    fig = figures.panels_figure(
        cfg.objective, runs, lambda k, **kw: t(k, "en", **kw), state, cfg.log_scale
    )
    spec = json.loads(pio.to_json(fig, validate=False))
    for panel, name in lesson.watch:
        axis = panel_of(spec, panel, state)
        assert visible_fraction(spec, axis, name) >= 1 / 6, (panel, name)


def test_the_adagrad_lesson_shows_effective_learning_rates_on_a_log_axis():
    """As its text says: their ratio spans more than two decades."""
    runs = runs_of("adagrad_stalls")
    lr = np.concatenate([runs[n].state["lr_eff"] for n in ("adagrad", "rmsprop")])
    assert lr.min() > 0 and lr.max() / lr.min() > 100
    assert lesson_config(lessons.get("adagrad_stalls")).panel_state == "lr_eff"
