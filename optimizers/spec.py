"""Specs: what an optimizer and a hyperparameter are, and the hyperparameters several
optimizers share.

Each optimizer is declared once, in its own module of ``optimizers.methods``, with its
update rule and everything the page shows about it (labels in both languages, colour
and marker, explanation, state labels, inspector rows). Sliders, URL validation and
clamping, sweep axes, the formula panel, the legend and the inspector are generated
from these specs, so adding an optimizer is one module and its tests.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

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

Kind = Literal["float", "int", "bool", "choice"]


class Text(NamedTuple):
    """One text in each language the page speaks."""

    en: str
    zh: str

    def get(self, lang: str) -> str:
        return getattr(self, lang)


class StateField(NamedTuple):
    """One state field an optimizer records at every step, and how the page names it."""

    field: str
    symbol: str  # LaTeX, as the inspector writes it
    label: Text  # the state panel's title


# What an optimizer's inspector rows are made of: (left side, right side) of one
# aligned LaTeX line; a row with no left side is a note.
Row = tuple[str, str]


@dataclass(frozen=True)
class HyperParam:
    """One hyperparameter.

    ``valid`` is what the update rule accepts (checked by ``optimizers.run``); ``lo`` and
    ``hi`` bound the page's control and the values a link may set, a subset of it.
    ``label`` names it on the page and ``help`` explains it, in English; ``label_zh`` and
    ``help_zh`` in Chinese. The page looks a label up by ``name``, so every spec of one
    name carries the same label.
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
    choices: tuple[str, ...] = ()  # for kind "choice": the allowed words
    label: str = field(kw_only=True)
    label_zh: str = field(kw_only=True)
    help_zh: str = field(kw_only=True)

    def check(self, value: Any) -> Any:
        """Validate ``value`` (scalar or array); return it as the right type."""
        if self.kind == "bool":
            if not isinstance(value, bool | np.bool_):
                raise LabError("not_bool", name=self.name, value=value)
            return bool(value)
        if self.kind == "choice":
            if not isinstance(value, str) or value not in self.choices:
                choices = ", ".join(self.choices)
                raise LabError("bad_choice", name=self.name, value=value, choices=choices)
            return value
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
class Source:
    """An update rule as plain Python, for a program that runs without this package.

    ``step`` is the body of the loop over t = 1, 2, ...: it reads ``x`` (a NumPy
    float64), ``g`` (f'(x), noise included), ``h`` (f''(x), second-order rules only),
    ``t`` and each hyperparameter by its name, updates its state variables and sets
    ``x_new``; it must not change ``x`` (a step that diverges is dropped). ``init``
    sets the state variables before the loop. ``noise`` is the expression for the
    noise's standard deviation, for a rule whose gradient is noisy (it matches
    ``Optimizer.noise_scale``). The same floating-point operations, in the same order,
    as ``Optimizer.update``, so the program prints the digits the page shows.
    """

    step: str
    init: str = ""
    noise: str | None = None


@dataclass(frozen=True)
class Optimizer:
    """An optimization method: its update rule, the hyperparameters it takes, and what
    the page shows about it.

    ``init(x0, hp)`` returns the state, a NamedTuple; ``update(x, g, h, state, hp, t)``
    returns ``(x_new, g_used, new_state)`` for step ``t`` (from 1), where ``g`` is the
    gradient (noise included), ``g_used`` is what the rule consumed (L2 weight decay
    included) and ``h`` is f''(x) for second-order methods, else None. The
    state fields in ``recorded`` are recorded at every step.

    ``order`` places it in the page's picker (``optimizers.OPTIMIZERS``, ascending);
    ``None`` marks a named variant, which ``optimizers.get`` finds but the picker does
    not offer.

    Display: ``label`` (English) and ``label_zh``; ``color`` (hex) and ``marker`` (a
    Plotly marker symbol) in every figure, colour-blind-safe (Okabe-Ito, then Paul Tol)
    and a distinct marker each, so no run is told apart by colour alone (a named
    variant takes the colour and marker of the optimizer it varies); ``idea`` and
    ``failure`` explain it.
    ``rows(s, i, g, hp, x, lang)`` is the step inspector's view of step ``i + 1``: ``s``
    maps each recorded field to its per-step array, ``g`` is the gradient used, ``x`` is
    x_{t-1}; it returns the rule's rows and Δx_t in LaTeX with the numbers plugged in
    (``""`` if the rule has no closed form worth showing), and may add the step's value:
    then the LaTeX ends with "= Δx_t", at digits where its arithmetic holds
    (``latex.digits_for``), and the page shows that value, not the recorded
    x_t - x_{t-1}, which rounding can make differ (or vanish). Without ``rows`` the inspector
    lists the recorded state. ``gradient`` is the LaTeX of the gradient the rule reads;
    ``l2_decay`` says the rule adds λx (``weight_decay``) to it; ``uphill_state`` names
    the recorded field that is <= 0 exactly where a step heads for a maximum.

    ``source`` is the same rule as plain Python for one scalar run, the loop body of
    the program the page exports (``viz.exports.python_snippet``), which must run with
    NumPy alone; tests run it against ``update`` digit for digit.
    """

    name: str
    label: str
    latex: str
    hparams: tuple[HyperParam, ...]
    init: Callable[..., Any]
    update: Callable[..., Any]
    second_order: bool = False
    noise_scale: Callable[[dict], Any] | None = None
    recorded: tuple[StateField, ...] = ()
    # Checks across hyperparameters; raises a LabError.
    check: Callable[[dict], None] | None = None
    order: int | None = None
    label_zh: str = field(kw_only=True)
    color: str = field(kw_only=True)
    marker: str = field(kw_only=True)
    idea: Text = field(kw_only=True)
    failure: Text = field(kw_only=True)
    rows: Callable[..., tuple[list[Row], str]] | None = None
    gradient: str = "f'(x_{t-1})"
    l2_decay: bool = False
    uphill_state: str | None = None
    # The curvature the step divides by, as the page writes it ("f″", "f″ + α").
    curvature: str = ""
    # Words after the update rule in the formula panel, in each language (LaTeX in
    # ``latex`` is the same for every language, so prose goes here).
    latex_note: Text | None = None
    source: Source | None = None

    @property
    def state_labels(self) -> tuple[tuple[str, str], ...]:
        """(state field, LaTeX symbol) of each recorded field."""
        return tuple((s.field, s.symbol) for s in self.recorded)

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
        label="learning rate",
        label_zh="学习率",
        help_zh="学习率：每一步走多远。",
    )


WEIGHT_DECAY = HyperParam(
    "weight_decay",
    r"\lambda",
    0.0,
    "Weight decay (L2): pulls x towards 0 by adding λx to the gradient.",
    lo=0.0,
    hi=1.0,
    label="weight decay",
    label_zh="权重衰减",
    help_zh="权重衰减：把 x 拉向 0（在梯度中加上 λx；AdamW 中直接缩小 x）。",
)
EPS = HyperParam(
    "eps",
    r"\epsilon",
    1e-8,
    "Added to the denominator so it is never zero.",
    lo=1e-12,
    hi=1.0,
    log=True,
    label="epsilon",
    label_zh="数值稳定项",
    help_zh="加在分母上，使其永不为零。",
)
NOISE = HyperParam(
    "noise",
    r"\sigma",
    1.0,
    "Gradient noise: each step's gradient gets σ·N(0, 1) added.",
    lo=0.0,
    hi=10.0,
    label="gradient noise",
    label_zh="梯度噪声",
    help_zh="梯度噪声：每步的梯度加上 σ·N(0, 1)。",
)
SEED = HyperParam(
    "seed",
    "s",
    0,
    "Random seed: the same seed gives the same noise.",
    lo=0,
    hi=2**31 - 1,
    kind="int",
    label="seed",
    label_zh="随机种子",
    help_zh="随机种子：相同的种子产生相同的噪声。",
)


# The step size an adaptive or second-order rule amounts to, recorded by several.
LR_EFF = StateField("lr_eff", r"\eta_{\text{eff}}", Text("effective learning rate", "有效学习率"))
