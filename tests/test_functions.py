"""The built-in objectives: derivatives, minima and the property each one teaches."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.optimize import brentq

import functions
import optimizers

NAMES = list(functions.FUNCTIONS)
EPS = np.finfo(float).eps


def _grid(fn, n=4001):
    return np.linspace(*fn.bounds, n)


# --- derivatives against central differences --------------------------------------------
#
# Central difference with step h: error <= h^2 max|g'''| / 6 + eps max|g| / h. With
# h = 2**-17 (~7.6e-6, exact in binary) and the built-ins' third derivatives (at most
# ~5e3, the cliff's) that is below 1e-7, while a wrong term in a derivative is off by
# O(1). The tolerance, 1e-7 of the derivative's largest value on the domain (>= 1e-7),
# sits in between.
H = 2.0**-17


@pytest.mark.parametrize("name", NAMES)
def test_df_matches_central_differences_of_f(name):
    fn = functions.get(name)
    x = _grid(fn)
    numeric = (fn.f(x + H) - fn.f(x - H)) / (2 * H)
    exact = fn.df(x)
    tol = 1e-7 * max(1.0, np.max(np.abs(exact)))
    np.testing.assert_allclose(exact, numeric, rtol=0, atol=tol)


@pytest.mark.parametrize("name", NAMES)
def test_d2f_matches_central_differences_of_df(name):
    fn = functions.get(name)
    x = _grid(fn)
    numeric = (fn.df(x + H) - fn.df(x - H)) / (2 * H)
    exact = np.broadcast_to(fn.d2f(x), x.shape)
    # Fourth derivatives reach ~8e4 (the cliff's): h^2 * 8e4 / 6 < 1e-5.
    tol = 1e-6 * max(1.0, np.max(np.abs(exact)))
    np.testing.assert_allclose(exact, numeric, rtol=0, atol=max(tol, 1e-5))


@pytest.mark.parametrize("name", NAMES)
def test_d2f_matches_second_differences_of_f(name):
    """d2f tied directly to f: (f(x+h) - 2f(x) + f(x-h)) / h^2, h = 2**-13.
    Error <= h^2 max|f''''| / 12 + 4 eps max|f| / h^2: below 2e-4 for every built-in
    (the fourth derivative reaches ~1.6e4 for rastrigin, ~1e5 for the cliff)."""
    fn = functions.get(name)
    x = _grid(fn)
    h = 2.0**-13
    numeric = (fn.f(x + h) - 2 * fn.f(x) + fn.f(x - h)) / h**2
    exact = np.broadcast_to(fn.d2f(x), x.shape)
    tol = max(3e-4, 1e-6 * np.max(np.abs(exact)))
    np.testing.assert_allclose(exact, numeric, rtol=0, atol=tol)


@pytest.mark.parametrize("name", NAMES)
def test_derivatives_are_vectorised(name):
    fn = functions.get(name)
    x = _grid(fn, 12).reshape(3, 4)
    for g in (fn.f, fn.df, fn.d2f):
        assert np.broadcast_to(g(x), x.shape).shape == (3, 4)


# --- the recorded minimum against an independent dense grid -----------------------------


@pytest.mark.parametrize("name", NAMES)
def test_minimum_against_dense_grid(name):
    fn = functions.get(name)
    lo, hi = fn.bounds
    xs = np.linspace(lo, hi, 10**6)
    dx = xs[1] - xs[0]
    ys = fn.f(xs)
    i = int(np.argmin(ys))
    assert lo <= fn.x_min <= hi
    assert fn.f_min == float(fn.f(np.float64(fn.x_min)))
    # Never above the grid (up to a rounding-level slack).
    slack = 1e-12 * max(1.0, abs(fn.f_min))
    assert fn.f_min <= ys.min() + slack
    assert np.all(fn.f_min <= ys + slack)
    # And not below it by more than the grid can miss: f'' max * (dx/2)^2 / 2.
    curv = np.max(np.abs(fn.d2f(xs[max(i - 2, 0) : i + 3])))
    assert ys.min() - fn.f_min <= 0.5 * curv * (dx / 2) ** 2 + slack
    # The same valley as the grid's best point, within a grid step.
    assert abs(fn.x_min - xs[i]) <= dx
    # An interior minimum is a stationary point with non-negative curvature.
    if lo < fn.x_min < hi:
        assert abs(float(fn.df(np.float64(fn.x_min)))) <= 1e-6
        assert float(fn.d2f(np.float64(fn.x_min))) >= 0


KNOWN_MINIMA = {  # from the formulas, by hand
    "quadratic": (3.0, 0.0),
    "saddle": (-3.0, -6.75),
    "rastrigin": (0.0, 0.0),
    "pseudo_huber": (0.0, 1.0),
    "cliff": (6.0, -5.0),
}


@pytest.mark.parametrize(("name", "expected"), KNOWN_MINIMA.items())
def test_known_minima(name, expected):
    fn = functions.get(name)
    assert fn.x_min == pytest.approx(expected[0], abs=1e-9)
    assert fn.f_min == pytest.approx(expected[1], abs=1e-12)


# --- the article's function -------------------------------------------------------------


def _article_f(x: float) -> float:
    # f(x) = (0.15x)^2 + cos x + sin(3x)/3 + cos(5x)/5 + sin(7x)/7, from the article.
    return (
        0.0225 * x * x
        + math.cos(x)
        + math.sin(3 * x) / 3
        + math.cos(5 * x) / 5
        + math.sin(7 * x) / 7
    )


def _article_df(x: float) -> float:
    return 0.045 * x - math.sin(x) + math.cos(3 * x) - math.sin(5 * x) + math.cos(7 * x)


def _article_d2f(x: float) -> float:
    return 0.045 - math.cos(x) - 3 * math.sin(3 * x) - 5 * math.cos(5 * x) - 7 * math.sin(7 * x)


def test_article_against_independent_transcription():
    fn = functions.get("article")
    xs = np.linspace(-20, 20, 2001)
    for ours, theirs in ((fn.f, _article_f), (fn.df, _article_df), (fn.d2f, _article_d2f)):
        expected = np.array([theirs(float(x)) for x in xs])
        np.testing.assert_allclose(ours(xs), expected, rtol=1e-14, atol=1e-13)
    assert fn.bounds == (-20.0, 20.0)
    assert fn.x0 == -20.0


@pytest.mark.parametrize("x", [math.pi / 6, -math.pi / 6, 1.0, -7.3])
def test_article_d2f_has_minus_3_sin_3x(x):
    """The widely copied script writes -3 sin x; at these points the two differ by
    more than 1 and the correct one is what the built-in computes."""
    fn = functions.get("article")
    wrong = 0.045 - math.cos(x) - 3 * math.sin(x) - 5 * math.cos(5 * x) - 7 * math.sin(7 * x)
    right = _article_d2f(x)
    assert abs(right - wrong) > 1.0
    assert float(fn.d2f(np.float64(x))) == pytest.approx(right, abs=1e-12)


def test_article_global_minimum_is_interior_and_lower_than_the_start():
    fn = functions.get("article")
    assert -20 < fn.x_min < 20
    assert fn.f_min < float(fn.f(np.float64(fn.x0))) - 5


# --- what each landscape teaches ---------------------------------------------------------


def test_cliff_has_a_region_of_huge_gradient():
    fn = functions.get("cliff")
    xs = np.linspace(*fn.bounds, 400_001)
    g = np.abs(fn.df(xs))
    near = np.abs(xs + 2) <= 0.5
    core = np.abs(xs + 2) <= 0.05
    outside = g[~near].max()
    # Everywhere in the core, |f'| is >= 50x its largest value outside the region.
    assert g[core].min() >= 50 * outside
    assert g[near].max() >= 60 * outside
    assert abs(xs[np.argmax(g)] + 2) < 0.01


def test_saddle_flat_point_is_not_a_minimum():
    fn = functions.get("saddle")
    zero = np.float64(0.0)
    assert fn.df(zero) == 0.0
    assert fn.d2f(zero) == 0.0
    assert fn.f(np.float64(-1e-3)) < fn.f(zero) < fn.f(np.float64(1e-3))  # an inflection
    assert fn.f_min < fn.f(zero) - 6
    # Gradient descent from the right crawls onto the plateau and stays there.
    traj = optimizers.run("gd", fn, 1.5, 2000, lr=0.01)
    assert 0 < float(traj.x_final) < 0.05


def test_double_well_has_a_local_minimum_that_is_not_global():
    fn = functions.get("double_well")
    x_loc = brentq(lambda x: float(fn.df(np.float64(x))), 0.5, 2.0, xtol=1e-14)
    assert fn.d2f(np.float64(x_loc)) > 0
    assert fn.f(np.float64(x_loc)) > fn.f_min + 2
    assert fn.x_min < 0 < x_loc
    # Starting on the right, gradient descent finds the shallow one.
    traj = optimizers.run("gd", fn, fn.x0, 2000, lr=0.01)
    assert float(traj.x_final) == pytest.approx(x_loc, abs=1e-9)


def test_pseudo_huber_plain_newton_diverges_from_1_5():
    fn = functions.get("pseudo_huber")
    traj = optimizers.run("newton", fn, 1.5, 20)
    assert traj.diverged_at >= 0
    # Newton's step on sqrt(1 + x^2) is x -> -x^3: 1.5, -3.375, 38.44..., then |x| > 1200.
    np.testing.assert_allclose(traj.x[1:3], [-(1.5**3), 1.5**9], rtol=1e-12)
    assert traj.diverged_at == 3
    assert np.all(np.isfinite(traj.x))
    # Regularised Newton converges from the same start.
    reg = optimizers.run("newton_reg", fn, 1.5, 200, alpha=1.0)
    assert reg.diverged_at == -1
    assert abs(float(reg.x_final)) < 1e-8


# --- registry ------------------------------------------------------------------------------


def test_registry():
    assert set(NAMES) == {
        "article",
        "quadratic",
        "cliff",
        "saddle",
        "double_well",
        "rastrigin",
        "pseudo_huber",
    }
    for name, fn in functions.FUNCTIONS.items():
        assert fn.name == name
        assert functions.get(name) is fn
        lo, hi = fn.bounds
        assert lo <= fn.x0 <= hi
        assert fn.center == (lo + hi) / 2
        assert fn.escape_radius == 100 * (hi - lo)
        assert fn.label and fn.latex


def test_unknown_function():
    with pytest.raises(ValueError, match=r"Unknown function 'nope'; choose one of article"):
        functions.get("nope")
