"""Specs: every optimizer and hyperparameter is declared once, here.

Sliders, URL validation and clamping, sweep axes and the formula panel are all
generated from these specs, so adding an optimizer is one spec and one update rule.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from errors import LabError


@dataclass(frozen=True)
class Interval:
    """A real interval whose ends may be open: what the maths accepts."""

    lo: float
    hi: float = math.inf
    lo_open: bool = False
    hi_open: bool = False

    def __contains__(self, value: float) -> bool:
        above = value > self.lo if self.lo_open else value >= self.lo
        below = value < self.hi if self.hi_open else value <= self.hi
        return bool(above and below)

    def __str__(self) -> str:
        left = "(" if self.lo_open or self.lo == -math.inf else "["
        right = ")" if self.hi_open or self.hi == math.inf else "]"
        return f"{left}{_num(self.lo)}, {_num(self.hi)}{right}"


def _num(v: float) -> str:
    return {math.inf: "inf", -math.inf: "-inf"}.get(v, f"{v:g}")


NON_NEGATIVE = Interval(0.0)
UNIT_OPEN = Interval(0.0, 1.0, hi_open=True)

Kind = Literal["float", "int", "bool"]


@dataclass(frozen=True)
class HyperParam:
    """One hyperparameter.

    ``valid`` is what the update rule accepts (checked by ``optimizers.run``); ``lo`` and
    ``hi`` bound the page's control and the values a link may set, a subset of it.
    """

    name: str
    symbol: str  # LaTeX
    default: float | int | bool
    help: str
    lo: float = 0.0
    hi: float = 1.0
    log: bool = False
    kind: Kind = "float"
    valid: Interval = NON_NEGATIVE

    def check(self, value: Any) -> Any:
        """Validate ``value`` (scalar or array); return it as the right type."""
        if self.kind == "bool":
            if not isinstance(value, bool | np.bool_):
                raise LabError("not_bool", name=self.name, value=value)
            return bool(value)
        arr = np.asarray(value)
        if arr.dtype.kind not in "biuf":
            raise LabError("not_a_number", name=self.name, value=value)
        if self.kind == "int" and arr.dtype.kind == "f":
            if not np.all(np.isfinite(arr) & (arr == np.round(arr))):
                raise LabError("not_integer", name=self.name, value=value)
            arr = arr.astype(np.int64)
        if self.kind == "float":
            arr = arr.astype(np.float64)
        flat = arr.ravel()
        bad = [v.item() for v in flat if not (np.isfinite(v) and v in self.valid)]
        if bad:
            raise LabError("out_of_range", name=self.name, value=bad[0], range=str(self.valid))
        return arr if arr.ndim else arr[()]


@dataclass(frozen=True)
class Optimizer:
    """An optimization method: its update rule and the hyperparameters it takes.

    ``init(x0, hp)`` returns the state, a NamedTuple; ``update(x, g, h, state, hp, t)``
    returns ``(x_new, g_used, new_state)`` for step ``t`` (from 1), where ``g`` is the
    gradient (noise included), ``g_used`` is what the rule consumed (L2 weight decay
    included) and ``h`` is f''(x) for second-order methods, else None. The
    state fields named in ``state_labels`` are recorded at every step.
    """

    name: str
    label: str
    latex: str
    hparams: tuple[HyperParam, ...]
    init: Callable[..., Any]
    update: Callable[..., Any]
    second_order: bool = False
    noise_scale: Callable[[dict], Any] | None = None
    state_labels: tuple[tuple[str, str], ...] = ()  # (state field, LaTeX symbol)
    # Checks across hyperparameters; raises a LabError.
    check: Callable[[dict], None] | None = None

    def hparam(self, name: str) -> HyperParam:
        for hp in self.hparams:
            if hp.name == name:
                return hp
        raise LabError("unknown_hparam", name=name, optimizer=self.name)

    @property
    def defaults(self) -> dict[str, Any]:
        return {hp.name: hp.default for hp in self.hparams}


# Hyperparameters shared by several optimizers, declared once.
def lr(default: float) -> HyperParam:
    return HyperParam(
        "lr",
        r"\eta",
        default,
        "Learning rate: how far each step moves.",
        lo=1e-4,
        hi=100.0,
        log=True,
    )


WEIGHT_DECAY = HyperParam(
    "weight_decay",
    r"\lambda",
    0.0,
    "Weight decay (L2): pulls x towards 0 by adding λx to the gradient.",
    lo=0.0,
    hi=1.0,
)
EPS = HyperParam(
    "eps",
    r"\epsilon",
    1e-8,
    "Added to the denominator so it is never zero.",
    lo=1e-12,
    hi=1.0,
    log=True,
)
NOISE = HyperParam(
    "noise",
    r"\sigma",
    1.0,
    "Gradient noise: each step's gradient gets σ·N(0, 1) added.",
    lo=0.0,
    hi=10.0,
)
SEED = HyperParam(
    "seed",
    "s",
    0,
    "Random seed: the same seed gives the same noise.",
    lo=0,
    hi=2**31 - 1,
    kind="int",
)
