"""Config: everything on screen, and its round trip through the URL's query string.

``Config.from_query`` never raises: whatever a link holds, it returns a valid Config
and a list of Notices for what it ignored or clamped. Only values that differ from
the defaults are written back, so links stay short.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import functions
import optimizers
from viz.gallery import GALLERIES

DEFAULT_OPTIMIZERS = ("gd", "momentum", "rmsprop", "adam", "newton_reg")
CUSTOM = "custom"  # a function typed by the user: expr on [lo, hi]
FUNCTION_IDS = (*functions.FUNCTIONS, CUSTOM)
DEFAULT_EXPR, DEFAULT_LO, DEFAULT_HI = "x^4 - 3x^2 + x", -3.0, 3.0
MAX_BOUND = 1e6
VIEWS = ("race", "explore", "article")
EXPLORE_VIEWS = ("sweep", "basins", "noise", "newton", "inspect")
SWEEP_METRICS = ("f", "distance", "settled")
NOISE_OPTIMIZERS = ("sgd", "minibatch")
# A sweep map puts lr on one axis, so it is for the optimizers that have one.
SWEEP_OPTIMIZERS = tuple(
    name for name, opt in optimizers.OPTIMIZERS.items() if "lr" in opt.defaults
)
MAX_ENSEMBLE = 200
GALLERY_IDS = tuple(g.id for g in GALLERIES)


def sweep_axes(name: str) -> tuple[str, ...]:
    """What a sweep map can put beside lr: the start, or a real hyperparameter."""
    opt = optimizers.get(name)
    return ("x0", *(hp.name for hp in opt.hparams if hp.kind == "float" and hp.name != "lr"))


LANGUAGES = ("en", "zh")
MAX_UI_STEPS = 5000
MIN_UI_STEPS = 10
# Longer values are not parsed at all: no number needs more, and a giant string
# must cost nothing.
MAX_VALUE_LENGTH = 200

TRUE, FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


@dataclass(frozen=True)
class Notice:
    """One thing a link asked for that the page did not do. ``reason`` is a text key."""

    key: str
    value: str
    reason: str
    detail: str = ""


@functools.lru_cache(maxsize=64)
def objective_of(function: str, expr: str, lo: float, hi: float) -> functions.Objective:
    """The objective a page shows; ValueError for a bad typed expression. Bounded
    cache: building one computes its global minimum."""
    if function == CUSTOM:
        return functions.from_expression(expr, (lo, hi))
    return functions.get(function)


@dataclass(frozen=True)
class Config:
    function: str = "article"
    expr: str = DEFAULT_EXPR  # the custom function's text and bounds
    lo: float = DEFAULT_LO
    hi: float = DEFAULT_HI
    x0: float | None = None  # None: the function's own start
    steps: int = 1000
    optimizers: tuple[str, ...] = DEFAULT_OPTIMIZERS
    # Only hyperparameters that differ from their spec defaults: {"adam": {"lr": 0.5}}.
    hparams: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    log_scale: bool = False
    lang: str = "en"
    embed: bool = False
    # What the Explore and Article views show.
    view: str = "race"
    explore: str = "sweep"
    sweep_opt: str = "adam"
    sweep_y: str = "x0"
    sweep_metric: str = "f"
    noise_opt: str = "sgd"
    noise_k: int = 50
    step: int = 1  # the step the Newton model and the inspector look at
    inspect_opt: str = "adam"
    gallery: str = GALLERY_IDS[0]

    @property
    def fn_key(self) -> tuple[str, str, float, float]:
        return self.function, self.expr, self.lo, self.hi

    @property
    def objective(self) -> functions.Objective:
        return objective_of(*self.fn_key)

    @property
    def start(self) -> float:
        return self.objective.x0 if self.x0 is None else self.x0

    def hparams_of(self, name: str) -> dict[str, Any]:
        """All hyperparameters of optimizer ``name``: its defaults, then overrides."""
        return {**optimizers.get(name).defaults, **self.hparams.get(name, {})}

    def with_hparam(self, name: str, hp: str, value: Any) -> Config:
        merged = {**self.hparams_of(name), hp: value}
        return replace(self, hparams={**self.hparams, name: _overrides(name, merged)})

    def normalised(self) -> Config:
        """Drop overrides that equal the defaults and those of unchosen optimizers, so
        that two configs showing the same page compare equal."""
        hps = {n: _overrides(n, self.hparams_of(n)) for n in self.optimizers}
        c = self
        if c.function != CUSTOM:
            c = replace(c, expr=DEFAULT_EXPR, lo=DEFAULT_LO, hi=DEFAULT_HI)
        x0 = None if c.x0 == c.objective.x0 else c.x0
        sweep_y = c.sweep_y if c.sweep_y in sweep_axes(c.sweep_opt) else "x0"
        step = min(c.step, c.steps)
        return replace(
            c, hparams={n: h for n, h in hps.items() if h}, x0=x0, sweep_y=sweep_y, step=step
        )

    def to_query(self) -> dict[str, str]:
        c = self.normalised()
        d = Config()
        q: dict[str, str] = {}
        if c.function != d.function:
            q["fn"] = c.function
        for key in ("expr", "lo", "hi"):
            if getattr(c, key) != getattr(d, key):
                q[key] = _fmt(getattr(c, key))
        if c.x0 is not None:
            q["x0"] = _fmt(c.x0)
        if c.steps != d.steps:
            q["steps"] = str(c.steps)
        if c.optimizers != d.optimizers:
            q["opt"] = ",".join(c.optimizers)
        for name in c.optimizers:
            for hp, value in c.hparams.get(name, {}).items():
                q[f"{name}.{hp}"] = _fmt(value)
        if c.log_scale:
            q["log"] = "1"
        if c.lang != d.lang:
            q["lang"] = c.lang
        for key, (name, _) in CHOICES.items():
            if getattr(c, name) != getattr(d, name):
                q[key] = getattr(c, name)
        for key, name in (("sw.y", "sweep_y"), ("noise.k", "noise_k"), ("step", "step")):
            if getattr(c, name) != getattr(d, name):
                q[key] = str(getattr(c, name))
        if c.embed:
            # "embed" itself is Streamlit's own parameter (it hides Streamlit's chrome,
            # and an embed link sets it too); ours is "mode".
            q["mode"] = "embed"
        return q

    @classmethod
    def from_query(cls, params: Mapping[str, Any]) -> tuple[Config, list[Notice]]:
        return _Parser(params).parse()


# URL key -> (Config field, allowed ids): the view settings that are plain choices.
CHOICES = {
    "view": ("view", VIEWS),
    "ex": ("explore", EXPLORE_VIEWS),
    "sw.opt": ("sweep_opt", SWEEP_OPTIMIZERS),
    "sw.metric": ("sweep_metric", SWEEP_METRICS),
    "noise.opt": ("noise_opt", NOISE_OPTIMIZERS),
    "insp.opt": ("inspect_opt", tuple(optimizers.OPTIMIZERS)),
    "gallery": ("gallery", GALLERY_IDS),
}


def _overrides(name: str, values: Mapping[str, Any]) -> dict[str, Any]:
    defaults = optimizers.get(name).defaults
    return {k: v for k, v in values.items() if k in defaults and v != defaults[k]}


def _fmt(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)  # shortest text that reads back to the same float


class _Parser:
    """Reads one query mapping; every problem becomes a Notice, never an exception."""

    def __init__(self, params: Mapping[str, Any]):
        self.raw = params
        self.notices: list[Notice] = []

    def value(self, key: str) -> str | None:
        v = self.raw.get(key)
        if isinstance(v, list | tuple):
            if len(v) > 1:
                self.notices.append(Notice(key, str(v[-1]), "repeated"))
            v = v[-1] if v else None
        if v is None:
            return None
        v = str(v)
        if len(v) > MAX_VALUE_LENGTH:
            self.notices.append(Notice(key, v, "too_long"))
            return None
        if v.strip() == "":
            self.notices.append(Notice(key, v, "empty"))
            return None
        return v.strip()

    def number(self, key: str, lo: float, hi: float, integer: bool = False):
        text = self.value(key)
        if text is None:
            return None
        try:
            v = float(text)
        except ValueError:
            self.notices.append(Notice(key, text, "not_a_number"))
            return None
        if not math.isfinite(v):
            self.notices.append(Notice(key, text, "not_finite"))
            return None
        if integer and not v.is_integer():
            self.notices.append(Notice(key, text, "not_integer"))
            return None
        if not lo <= v <= hi:
            clamped = min(max(v, lo), hi)
            self.notices.append(Notice(key, text, "clamped", _fmt(_typed(clamped, integer))))
            v = clamped
        return _typed(v, integer)

    def flag(self, key: str) -> bool | None:
        text = self.value(key)
        if text is None:
            return None
        if text.lower() in TRUE:
            return True
        if text.lower() in FALSE:
            return False
        self.notices.append(Notice(key, text, "not_a_flag"))
        return None

    def choice(self, key: str, allowed: tuple[str, ...]) -> str | None:
        text = self.value(key)
        if text is None or text in allowed:
            return text
        self.notices.append(Notice(key, text, "unknown_choice", ", ".join(allowed)))
        return None

    def parse(self) -> tuple[Config, list[Notice]]:
        c = Config()
        fn = self.choice("fn", FUNCTION_IDS) or c.function
        expr, lo, hi = self.custom() if fn == CUSTOM else (c.expr, c.lo, c.hi)
        x0 = self.number("x0", *objective_of(fn, expr, lo, hi).bounds)
        steps = self.number("steps", MIN_UI_STEPS, MAX_UI_STEPS, integer=True) or c.steps
        chosen = self.optimizer_list() or c.optimizers
        hparams = {}
        for name in chosen:
            values = {}
            for hp in optimizers.get(name).hparams:
                key = f"{name}.{hp.name}"
                if key not in self.raw:
                    continue
                if hp.kind == "bool":
                    v = self.flag(key)
                else:
                    v = self.number(key, hp.lo, hp.hi, integer=hp.kind == "int")
                if v is not None:
                    values[hp.name] = v
            hparams[name] = values
        config = Config(
            function=fn,
            expr=expr,
            lo=lo,
            hi=hi,
            x0=x0,
            steps=steps,
            optimizers=chosen,
            hparams=hparams,
            log_scale=bool(self.flag("log")),
            lang=self.choice("lang", LANGUAGES) or c.lang,
            embed=self.choice("mode", ("embed",)) == "embed",
            **{
                name: self.choice(key, allowed) or getattr(c, name)
                for key, (name, allowed) in CHOICES.items()
            },
        )
        views = {
            "sweep_y": self.choice("sw.y", sweep_axes(config.sweep_opt)) or c.sweep_y,
            "noise_k": self.number("noise.k", 2, MAX_ENSEMBLE, integer=True) or c.noise_k,
            "step": self.number("step", 1, steps, integer=True) or c.step,
        }
        return replace(config, **views).normalised(), self.notices

    def custom(self) -> tuple[str, float, float]:
        """The typed function's text and bounds; the default one if they do not work."""
        d = Config()
        expr = self.value("expr") or d.expr
        lo = self.number("lo", -MAX_BOUND, MAX_BOUND)
        hi = self.number("hi", -MAX_BOUND, MAX_BOUND)
        lo, hi = d.lo if lo is None else lo, d.hi if hi is None else hi
        if lo >= hi:
            self.notices.append(Notice("lo", _fmt(lo), "bad_bounds"))
            lo, hi = d.lo, d.hi
        try:
            objective_of(CUSTOM, expr, lo, hi)
        except ValueError as e:
            self.notices.append(Notice("expr", expr, "bad_expression", str(e)))
            return d.expr, d.lo, d.hi
        return expr, float(lo), float(hi)

    def optimizer_list(self) -> tuple[str, ...] | None:
        text = self.value("opt")
        if text is None:
            return None
        chosen: list[str] = []
        for name in text.split(","):
            name = name.strip()
            if name in optimizers.OPTIMIZERS and name not in chosen:
                chosen.append(name)
            elif name and name not in chosen:
                self.notices.append(Notice("opt", name, "unknown_optimizer", name[:24]))
        return tuple(chosen) or None


def _typed(v: float, integer: bool) -> float | int:
    return int(v) if integer else float(v)
