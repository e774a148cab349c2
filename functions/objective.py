"""The Objective: a 1-D test function with its derivatives, domain and known minimum."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import minimize_scalar

from errors import LabError

ArrayFn = Callable[[np.ndarray], np.ndarray]

# Points of the grid that locates the global minimum before it is refined.
_GRID_POINTS = 200_001


@dataclass(frozen=True, eq=False)
class Objective:
    """A scalar function of one variable, NumPy-vectorised, with f' and f''.

    ``x_min`` and ``f_min`` are the global minimum on ``bounds``, computed (dense grid,
    then a bounded scalar minimisation around the best grid point), never typed in;
    both are NaN when f is unbounded below on ``bounds`` (1/x or log x near 0), where
    no global minimum exists (``has_minimum`` is False).

    ``confined``: f is only known on ``bounds`` (a typed function: 1/x, log x, sqrt x
    may be undefined or unbounded beyond them, and the user vouched for no more), so a
    run that leaves them has diverged. The built-ins are defined on the whole line and
    their bounds are a view: the article's runs leave (-20, 20) and come back, and only
    the escape radius ends a run.
    Objectives compare by identity: two objects are the same function only if they are
    the same object, which keeps them hashable for caches.

    ``source`` is plain Python that defines ``f(x)``, ``df(x)`` and ``d2f(x)`` with
    NumPy alone (``np`` imported), computing exactly what ``f``, ``df`` and ``d2f``
    compute: the exported program's function, which must run without this package.
    """

    name: str
    label: str
    latex: str
    f: ArrayFn
    df: ArrayFn
    d2f: ArrayFn
    bounds: tuple[float, float]
    x0: float
    confined: bool = False
    source: str = field(default="", kw_only=True, repr=False)
    x_min: float = field(init=False)
    f_min: float = field(init=False)

    def __post_init__(self) -> None:
        lo, hi = self.bounds
        if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
            raise LabError("objective_bounds", bounds=self.bounds)
        if not lo <= self.x0 <= hi:
            raise LabError("objective_x0", value=self.x0, lo=lo, hi=hi)
        x_min, f_min = _global_minimum(self.f, self.df, self.d2f, lo, hi)
        object.__setattr__(self, "x_min", x_min)
        object.__setattr__(self, "f_min", f_min)

    @property
    def has_minimum(self) -> bool:
        return not np.isnan(self.x_min)

    @property
    def center(self) -> float:
        return (self.bounds[0] + self.bounds[1]) / 2

    @property
    def escape_radius(self) -> float:
        """A run whose |x - center| exceeds this has diverged (100 domain widths)."""
        return 100.0 * (self.bounds[1] - self.bounds[0])


def _global_minimum(f: ArrayFn, df: ArrayFn, d2f: ArrayFn, lo: float, hi: float):
    xs = np.linspace(lo, hi, _GRID_POINTS)
    with np.errstate(all="ignore"):
        ys = np.asarray(f(xs), dtype=float)
    if np.any(ys == -np.inf):  # log(0): unbounded below
        return np.nan, np.nan
    finite = np.isfinite(ys)
    ys = np.where(finite, ys, np.inf)
    i = int(np.argmin(ys))
    if not np.isfinite(ys[i]):
        raise LabError("objective_not_finite")
    spread = float(np.max(ys[finite]) - ys[i])
    a, b = xs[max(i - 1, 0)], xs[min(i + 1, len(xs) - 1)]
    with np.errstate(all="ignore"):
        res = minimize_scalar(
            lambda x: float(f(np.float64(x))),
            bounds=(a, b),
            method="bounded",
            options={"xatol": 1e-12},
        )
    best = (float(xs[i]), float(ys[i]))
    if np.isfinite(res.fun) and res.fun <= best[1]:
        best = (float(res.x), float(res.fun))
    # A few Newton steps on f' polish the last digits the bracketing search leaves.
    x = best[0]
    with np.errstate(all="ignore"):
        for _ in range(5):
            x = float(x - df(np.float64(x)) / d2f(np.float64(x)))
            fx = float(f(np.float64(x)))
            if not (a <= x <= b and np.isfinite(fx) and fx <= best[1]):
                break
            best = (x, fx)
    if _unbounded_below(df, best, float(ys[i]), spread, b - a):
        return np.nan, np.nan
    return best


def _unbounded_below(df: ArrayFn, best, grid_min: float, spread: float, width: float) -> bool:
    """Near a pole (1/x, log x at 0) the search between two grid points runs into the
    pole: it ends far below the grid's lowest value (by more than f's whole spread on
    the grid) at a point that is not stationary (|f'| times the bracket's width dwarfs
    that drop). A true minimum, however sharp, has f' = 0 there."""
    drop = grid_min - best[1]
    if not drop > max(spread, 1e-12 * abs(grid_min)):
        return False
    with np.errstate(all="ignore"):
        slope = abs(float(df(np.float64(best[0]))))
    return not slope * width <= drop
