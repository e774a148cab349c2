"""Wrong results reported against the page: runs that leave a typed function's bounds,
minima that do not exist, undefined starts, diverged runs that "may still settle", and
step arithmetic that does not add up. Reference values come from plain loops and
closed forms."""

import dataclasses
import math
import re

import numpy as np
import pytest

import functions
import optimizers
from tests import reference
from tests.pages import new_page as page
from viz.config import DEFAULT_OPTIMIZERS, Config
from viz.lessons import LESSONS_BY_ID, lesson_url_query
from viz.step_view import inspect_step

POLE = {"fn": "custom", "expr": "1/x", "lo": "-5", "hi": "5", "x0": "-2.4"}


def texts(elements) -> list[str]:
    return [e.value.replace("\\", "") for e in elements]


# --- 1. a run that leaves a typed function's bounds has diverged there -----------------------


def test_plain_gd_on_one_over_x_leaves_the_bounds_and_is_marked_there():
    cfg = Config(function="custom", expr="1/x", lo=-5, hi=5, x0=-2.4)
    fn = cfg.objective
    # A plain loop: x <- x - 0.1 * (-1 / x^2), stopped at the first x outside [-5, 5].
    x, path, left = -2.4, [-2.4], -1
    for t in range(1, 1001):
        x = x - 0.1 * (-1 / (x * x))
        if not -5 <= x <= 5:
            left = t
            break
        path.append(x)
    assert left > 0
    traj = optimizers.run("gd", fn, -2.4, 1000, lr=0.1)
    assert int(traj.diverged_at) == left
    np.testing.assert_allclose(traj.x[:left], path, rtol=1e-12)
    assert np.all(traj.x[left:] == traj.x[left - 1])  # frozen at its last good x
    assert np.all((traj.x >= -5) & (traj.x <= 5))


@pytest.mark.parametrize("name", DEFAULT_OPTIMIZERS)
def test_each_default_run_on_one_over_x_stays_within_or_is_marked(name):
    cfg = Config(function="custom", expr="1/x", lo=-5, hi=5, x0=-2.4)
    fn = cfg.objective
    hp = cfg.hparams_of(name)
    traj = optimizers.run(name, fn, -2.4, 1000, **hp)
    # The reference loop on the same function without the wall (the escape radius
    # only): where does it first leave [-5, 5]?
    ref = reference.run_each(name, dataclasses.replace(fn, confined=False), -2.4, 1000, **hp)
    outside = np.flatnonzero((ref.x < -5) | (ref.x > 5))
    assert outside.size, "the issue's runs all leave the bounds"
    first = int(outside[0])
    assert int(traj.diverged_at) == first
    np.testing.assert_array_equal(traj.x[:first], ref.x[:first])
    assert np.all(traj.x[first:] == ref.x[first - 1])


def test_the_article_runs_may_still_leave_its_bounds_and_come_back():
    """The article's function is defined everywhere: its figures show runs that leave
    (-20, 20) and return, so its bounds are not a wall."""
    fn = functions.get("article")
    traj = optimizers.run("gd", fn, -20.0, 1000, lr=4.0)
    x = -20.0
    for _ in range(1000):
        x = x - 4.0 * float(fn.df(np.float64(x)))
    assert traj.x_final == x and int(traj.diverged_at) == -1
    assert np.abs(traj.x).max() > 20


def test_the_page_marks_the_runs_that_left_the_bounds():
    at = page(**POLE)
    assert not at.exception
    table = at.dataframe[0].value
    assert "—" not in table["diverged at step"].tolist()


# --- 2. no global minimum near a pole --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "bounds"),
    [("1/x", (-5, 5)), ("log(x)", (-5, 5)), ("1/(x - 0.123456)", (-5, 5)), ("-1/x^2", (-1, 2))],
)
def test_unbounded_below_has_no_global_minimum(text, bounds):
    fn = functions.from_expression(text, bounds)
    assert not fn.has_minimum
    assert math.isnan(fn.x_min) and math.isnan(fn.f_min)


@pytest.mark.parametrize(
    ("text", "bounds", "x_star"),
    [
        ("x^2", (-5, 5), 0.0),
        ("log(x)", (0.5, 5), 0.5),
        ("1/x", (0.5, 5), 5.0),
        ("sqrt(x)", (-5, 5), 0.0),
    ],
)
def test_bounded_below_keeps_its_minimum(text, bounds, x_star):
    fn = functions.from_expression(text, bounds)
    assert fn.has_minimum and fn.x_min == pytest.approx(x_star, abs=1e-6)


def test_every_built_in_has_a_minimum():
    assert all(fn.has_minimum for fn in functions.FUNCTIONS.values())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_page_says_there_is_no_global_minimum(lang):
    at = page(**POLE, lang=lang)
    assert not at.exception
    captions = " ".join(texts(at.caption))
    assert "x* =" not in captions
    said = "no global minimum" if lang == "en" else "没有全局最小值"
    assert said in captions
    table = at.dataframe[0].value
    distance = table.columns[3]
    assert set(table[distance]) == {"—"}


# --- 3. a start where f is undefined ----------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_undefined_start_is_explained(lang):
    at = page(fn="custom", expr="log(x)", lo="-5", hi="5", x0="-2.4", lang=lang)
    assert not at.exception
    said = "f is not defined at the start" if lang == "en" else "f 在起点没有定义"
    assert any(said in w for w in texts(at.warning)), texts(at.warning)


@pytest.mark.parametrize("text", ["log(x)", "sqrt(x)", "x^0.5", "1/sqrt(x)", "log(-x)"])
def test_the_default_start_of_a_typed_function_has_a_finite_f_and_slope(text):
    fn = functions.from_expression(text, (-5.0, 5.0))
    assert np.isfinite(fn.f(fn.x0)) and np.isfinite(fn.df(fn.x0))
    # Not at the edge of where f is defined: a first step of lr 0.1 stays defined.
    assert np.isfinite(fn.f(fn.x0 - 0.1 * fn.df(fn.x0)))


# --- 4. a diverged run never "may still settle" -----------------------------------------------


@pytest.mark.parametrize(("lang", "word"), [("en", "not yet"), ("zh", "尚未")])
def test_a_diverged_run_does_not_say_not_yet(lang, word):
    at = page(**lesson_url_query(LESSONS_BY_ID["lr_extremes"], lang))
    assert not at.exception
    table = at.dataframe[0].value
    settled, diverged = table.columns[4], table.columns[5]
    row = table[table[diverged] == "20"]
    assert len(row) == 1
    assert row[settled].tolist() == ["—"]
    assert word not in table[settled].tolist()


# --- 5. the step inspector's arithmetic adds up ------------------------------------------------

NUMBER = r"-?\(?-?[0-9.]+(?: \\times 10\^\{-?\d+\})?\)?"


def parse(s: str) -> float:
    s = s.strip().strip("()")
    m = re.fullmatch(r"(-?[0-9.]+)(?: \\times 10\^\{(-?\d+)\})?", s)
    assert m, s
    return float(m.group(1)) * (10.0 ** int(m.group(2)) if m.group(2) else 1.0)


def shown_digits(s: str) -> int:
    mantissa = s.strip().strip("()").split(r" \times")[0].lstrip("-").replace(".", "")
    return len(mantissa.lstrip("0")) or 1


def agrees(value: float, shown: str) -> bool:
    """``value`` rounds to the displayed number at the digits it shows."""
    d = shown_digits(shown)
    return float(f"{value:.{d}g}") == float(f"{parse(shown):.{d}g}")


def test_gd_step_1000_on_the_default_page_adds_up():
    cfg = Config()
    fn = cfg.objective
    traj = optimizers.run("gd", fn, cfg.start, cfg.steps, **cfg.hparams_of("gd"))
    latex = inspect_step("gd", traj, 1000, cfg.hparams_of("gd"))
    m = re.search(rf"-\\eta\\, g_t = -({NUMBER}) \\times ({NUMBER}) = ({NUMBER})", latex)
    assert m, latex
    lr, g, dx = (m.group(k) for k in (1, 2, 3))
    assert parse(dx) != 0
    assert agrees(-parse(lr) * parse(g), dx)
    # The gradient shown is the run's, and -η g is the rule's step, closed form.
    g_true = float(fn.df(np.float64(traj.x[999])))
    assert agrees(g_true, g) and agrees(-0.1 * g_true, dx)
    prev = re.search(rf"x_{{t-1}} &= ({NUMBER})", latex).group(1)
    new = re.search(rf"x_t &= x_{{t-1}} \+ \\Delta x_t = ({NUMBER})", latex).group(1)
    assert agrees(parse(prev) + parse(dx), new)


@pytest.mark.parametrize("name", ["gd", "momentum", "rmsprop", "adam", "newton_reg", "adagrad"])
def test_every_inspected_step_adds_up(name):
    cfg = Config()
    traj = optimizers.run(name, cfg.objective, cfg.start, cfg.steps, **cfg.hparams_of(name))
    for t in (1, 2, 500, 1000):
        latex = inspect_step(name, traj, t, cfg.hparams_of(name))
        prev = re.search(rf"x_{{t-1}} &= ({NUMBER})", latex).group(1)
        dx = re.search(rf"\\Delta x_t &= .*?= ({NUMBER}) \\\\", latex).group(1)
        new = re.search(rf"x_t &= x_{{t-1}} \+ \\Delta x_t = ({NUMBER})", latex).group(1)
        assert agrees(parse(prev) + parse(dx), new), (t, latex)
