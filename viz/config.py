"""Config: everything on screen, one frozen value, and its round trip through the URL.

Each setting is declared once, in ``SETTINGS``: its URL name (also the key of the
widget that shows it), its Config field, its kind and its choices or bounds; its
default is the Config field's. Parsing, serialising, clamping and the page's widget
wiring are all generated from that table. ``Config.from_query`` never raises: whatever
a link holds, it returns a valid Config and a Notice for each thing it ignored or
clamped. Only values that differ from the defaults are written, so links stay short.

A Config is hashable (its hyperparameters are a frozen mapping), so it is the key of
every cache. It remembers settings whose controls are hidden, such as a deselected
optimizer's hyperparameters or a typed function while a built-in one is shown, and the
link carries them too: ``from_query(c.to_query()) == c``.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

import functions
import optimizers
from optimizers.schedules import LR_USED, Schedule
from viz import gallery
from viz.gallery import GALLERIES, STYLES

# Five different stories on the article's function (tests/test_default_race.py checks
# them): gradient descent stops in the first dip, Newton's method climbs to the
# maximum beside it, RMSprop is still creeping halfway down, momentum rolls on to a dip near
# x = 3.3, AdamW's weight decay pulls it into the global minimum.
DEFAULT_OPTIMIZERS = ("gd", "newton", "rmsprop", "momentum", "adamw")
CUSTOM = "custom"  # a function typed by the user: expr on [lo, hi]
FUNCTION_IDS = (*functions.FUNCTIONS, CUSTOM)
# What a Config may hold: also the named variants (the article's f′ order, its
# optimizers), which a raced gallery panel or a link sets and the pickers show only then.
ALL_FUNCTION_IDS = (*FUNCTION_IDS, *functions.VARIANTS)
ALL_OPTIMIZERS = (*optimizers.OPTIMIZERS, *optimizers.VARIANTS)
DEFAULT_EXPR, DEFAULT_LO, DEFAULT_HI = "x^4 - 3x^2 + x", -3.0, 3.0
MAX_BOUND = 1e6
LANGUAGES = ("en", "zh")
VIEWS = ("race", "explore", "article")
EXPLORE_VIEWS = ("sweep", "basins", "noise", "newton", "inspect")
SWEEP_METRICS = ("f", "distance", "settled")
# A sweep map puts lr on one axis, so it is for the optimizers that have one.
SWEEP_OPTIMIZERS = tuple(
    name for name, opt in optimizers.OPTIMIZERS.items() if "lr" in opt.defaults
)
# Noise ensembles are for the optimizers whose gradient is noisy.
NOISE_OPTIMIZERS = tuple(
    name for name, opt in optimizers.OPTIMIZERS.items() if opt.noise_scale is not None
)
# What the "Over time" panel can plot: any optimizer's recorded state, and the lr a
# schedule set.
STATE_FIELDS = tuple(
    dict.fromkeys(
        [f for opt in optimizers.OPTIMIZERS.values() for f, _ in opt.state_labels] + [LR_USED.field]
    )
)
MAX_ENSEMBLE = 200
GALLERY_IDS = tuple(g.id for g in GALLERIES)
MAX_UI_STEPS = 5000
MIN_UI_STEPS = 10
# Longer values are not parsed at all: no number needs more, and a giant string
# must cost nothing.
MAX_VALUE_LENGTH = 200

TRUE, FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


SCHEDULE_AXIS = "sched."  # a sweep axis over a parameter of the race's schedule


def sweep_axes(name: str, schedule: str = "constant") -> tuple[str, ...]:
    """What a sweep map can put beside lr: the start, a real hyperparameter, or a
    parameter of ``schedule`` that may vary across a batch (``sched.gamma``)."""
    opt = optimizers.get(name)
    return (
        "x0",
        *(hp.name for hp in opt.hparams if hp.kind == "float" and hp.name != "lr"),
        *(SCHEDULE_AXIS + p for p in optimizers.SCHEDULES[schedule].sweeps),
    )


@functools.lru_cache(maxsize=64)
def objective_of(function: str, expr: str, lo: float, hi: float) -> functions.Objective:
    """The objective a page shows; ValueError for a bad typed expression. Bounded
    cache: building one computes its global minimum."""
    if function == CUSTOM:
        return functions.from_expression(expr, (lo, hi))
    return functions.get(function)


class FrozenMap(Mapping):
    """A read-only, hashable mapping: a Config's hyperparameters. Equal to a dict with
    the same items."""

    __slots__ = ("_items",)

    def __init__(self, items: Mapping | None = None):
        self._items = dict(items or {})

    def __getitem__(self, key):
        return self._items[key]

    def __iter__(self) -> Iterator:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(frozenset(self._items.items()))

    def __repr__(self) -> str:
        return f"FrozenMap({dict(sorted(self._items.items()))!r})"


def _overrides(defaults: Mapping[str, Any], values: Mapping[str, Any]) -> FrozenMap:
    """The settings in ``values`` that differ from their ``defaults``."""
    return FrozenMap({k: v for k, v in values.items() if k in defaults and v != defaults[k]})


def has_lr(name: str) -> bool:
    """Whether optimizer ``name`` has a learning rate, so a schedule applies to it."""
    return "lr" in optimizers.get(name).defaults


@dataclass(frozen=True)
class Notice:
    """One thing a link asked for that the page did not do. ``reason`` is a text key;
    ``detail`` a value to show, or the error that refused it."""

    key: str
    value: str
    reason: str
    detail: object = ""


@dataclass(frozen=True)
class Config:
    function: str = "article"
    expr: str = DEFAULT_EXPR  # the typed function's text and bounds
    lo: float = DEFAULT_LO
    hi: float = DEFAULT_HI
    x0: float | None = None  # None: the function's own start
    steps: int = 1000
    optimizers: tuple[str, ...] = DEFAULT_OPTIMIZERS
    # Only hyperparameters that differ from their spec defaults: {"adam": {"lr": 0.5}},
    # for any optimizer, chosen or not (a removed optimizer keeps its settings).
    hparams: Mapping[str, Mapping[str, Any]] = FrozenMap()
    # The learning-rate schedule of every optimizer that has an lr, and the parameters
    # of each kind that differ from their defaults (a kind not shown keeps its own).
    schedule: str = "constant"
    schedule_params: Mapping[str, Mapping[str, Any]] = FrozenMap()
    # The chosen optimizers' learning rates were tuned (the page says how).
    tuned: bool = False
    log_scale: bool = False
    present: bool = False  # presentation mode: large type, thick lines
    lang: str = "en"
    embed: bool = False
    # Which view is open, and what the Explore and Article views show.
    view: str = "race"
    panel_state: str = ""  # the state the "Over time" panel plots; "": the first one
    explore: str = "sweep"
    sweep_opt: str = "adam"
    sweep_y: str = "x0"
    sweep_metric: str = "f"
    noise_opt: str = "sgd"
    noise_k: int = 50
    step: int = 1  # the step the Newton model and the inspector look at
    inspect_opt: str = "adam"
    gallery: str = GALLERY_IDS[0]
    gallery_style: str = STYLES[0]
    panel: int = 0  # the gallery's panel in focus (the article's i): its page is shown

    def __post_init__(self):
        hps = {n: _overrides(optimizers.get(n).defaults, h) for n, h in self.hparams.items()}
        object.__setattr__(self, "hparams", FrozenMap({n: h for n, h in hps.items() if h}))
        kinds = optimizers.SCHEDULES
        sps = {k: _overrides(kinds[k].defaults, p) for k, p in self.schedule_params.items()}
        object.__setattr__(self, "schedule_params", FrozenMap({k: p for k, p in sps.items() if p}))
        object.__setattr__(self, "optimizers", tuple(self.optimizers))

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
        return replace(self, hparams={**self.hparams, name: merged})

    def schedule_of(self, kind: str) -> dict[str, Any]:
        """All parameters of schedule ``kind``: its defaults, then overrides."""
        return {**optimizers.SCHEDULES[kind].defaults, **self.schedule_params.get(kind, {})}

    def with_schedule_param(self, kind: str, param: str, value: Any) -> Config:
        merged = {**self.schedule_of(kind), param: value}
        return replace(self, schedule_params={**self.schedule_params, kind: merged})

    @property
    def lr_schedule(self) -> Schedule | None:
        """The schedule the runs use; None for a constant lr."""
        if self.schedule == "constant":
            return None
        return optimizers.schedule(self.schedule, **self.schedule_of(self.schedule))

    def schedule_for(self, name: str) -> Schedule | None:
        """The schedule optimizer ``name`` runs with: none without a learning rate."""
        return self.lr_schedule if has_lr(name) else None

    def runs_of(self, names: tuple[str, ...] | None = None) -> Config:
        """Only what the runs of ``names`` (the chosen optimizers by default) read: the
        key of their caches, so that a change elsewhere on the page reuses them."""
        chosen = self.optimizers if names is None else tuple(names)
        scheduled = self.schedule != "constant" and any(has_lr(n) for n in chosen)
        kind = self.schedule if scheduled else "constant"
        return Config(
            schedule=kind,
            schedule_params={kind: self.schedule_of(kind)},
            function=self.function,
            expr=self.expr,
            lo=self.lo,
            hi=self.hi,
            x0=self.x0,
            steps=self.steps,
            optimizers=chosen,
            hparams={n: self.hparams[n] for n in chosen if n in self.hparams},
        )

    def race_panel(self, gallery_id: str, i: int) -> Config:
        """This Config racing panel i of gallery ``gallery_id`` alone, in the Race view:
        its function, optimizer, hyperparameters, start and steps."""
        g = gallery.get(gallery_id)
        return replace(
            self,
            function=gallery.FUNCTION,
            x0=gallery.X0,
            steps=gallery.STEPS,
            optimizers=(g.optimizer,),
            hparams={**self.hparams, g.optimizer: g.hparams(i)},
            view="race",
        ).normalised()

    def normalised(self) -> Config:
        """Settings that depend on others, made consistent, and x0 as None when it is the
        function's own start, so that two configs showing the same page compare equal."""
        lo, hi = self.objective.bounds
        x0 = None if self.x0 is None else min(max(float(self.x0), lo), hi)
        return replace(
            self,
            x0=None if x0 == self.objective.x0 else x0,
            sweep_y=self.sweep_y
            if self.sweep_y in sweep_axes(self.sweep_opt, self.schedule)
            else "x0",
            step=min(self.step, self.steps),
            panel=min(self.panel, len(gallery.get(self.gallery).values) - 1),
        )

    def get(self, key: str) -> Any:
        """The value of the setting whose URL name is ``key``."""
        return SETTINGS_BY_KEY[key].get(self)

    def set(self, key: str, value: Any) -> Config:
        """This Config with setting ``key`` changed, checked as a link's value would be
        and with the settings it governs reset; unknown or invalid values are ignored."""
        s = SETTINGS_BY_KEY[key]
        checked = s.check(value, self)
        if checked is None or checked == s.get(self):
            return self
        c = s.put(self, checked)
        return replace(c, **{f: _FIELD_DEFAULTS[f] for f in s.clears}).normalised()

    def to_query(self) -> dict[str, str]:
        c = self.normalised()
        return {s.key: s.text(s.get(c)) for s in SETTINGS if s.get(c) != s.default}

    @classmethod
    def from_query(cls, params: Mapping[str, Any]) -> tuple[Config, list[Notice]]:
        return _Parser(params).parse()


_FIELD_DEFAULTS = {f.name: f.default for f in dataclasses.fields(Config)}
Kind = Literal["choice", "list", "int", "float", "flag", "text"]


@dataclass(frozen=True)
class Setting:
    """One setting of the page: the URL name ``key`` (also its widget's key), the Config
    field it lives in, what kind of value it takes and which values are allowed."""

    key: str
    field: str
    kind: Kind
    choices: tuple[str, ...] = ()  # for "choice" and "list"
    lo: float = -math.inf  # for "int" and "float"
    hi: float = math.inf
    bounds: Callable[[Config], tuple[float, float]] | None = None  # instead of lo, hi
    on_text: str = "1"  # how a "flag" that is on is written
    clears: tuple[str, ...] = ()  # fields reset to their defaults when this one changes

    @property
    def default(self) -> Any:
        return _FIELD_DEFAULTS[self.field]

    def get(self, c: Config) -> Any:
        return getattr(c, self.field)

    def put(self, c: Config, value: Any) -> Config:
        return replace(c, **{self.field: value})

    def limits(self, c: Config) -> tuple[float, float]:
        return self.bounds(c) if self.bounds else (self.lo, self.hi)

    def check(self, value: Any, c: Config) -> Any:
        """``value`` as this setting holds it, clamped into its bounds; None if it is
        not a value of this setting."""
        if self.kind == "choice":
            return value if value in self.choices else None
        if self.kind == "list":
            return tuple(dict.fromkeys(v for v in value if v in self.choices))
        if self.kind == "flag":
            return bool(value) if isinstance(value, bool | int) else None
        if self.kind == "text":
            return value if isinstance(value, str) and len(value) <= MAX_VALUE_LENGTH else None
        return self.number(value, c)[0]

    def number(self, value: Any, c: Config) -> tuple[float | int | None, str | None]:
        """A number setting's ``value``, clamped into its bounds, and why it was refused
        or changed (a Notice reason), if it was."""
        try:
            v = float(value)
        except (TypeError, ValueError):
            return None, "not_a_number"
        if not math.isfinite(v):
            return None, "not_finite"
        integer = self.kind == "int"
        if integer and not v.is_integer():
            return None, "not_integer"
        lo, hi = self.limits(c)
        clamped = _typed(min(max(v, lo), hi), integer)
        return clamped, None if lo <= v <= hi else "clamped"

    def text(self, value: Any) -> str:
        if self.kind == "list":
            return ",".join(value)
        if self.kind == "flag":
            return self.on_text if value else "0"
        return _fmt(value)


@dataclass(frozen=True)
class HyperSetting(Setting):
    """A hyperparameter of one optimizer: ``<optimizer>.<name>`` in the URL."""

    optimizer: str = ""
    hparam: str = ""

    @property
    def default(self) -> Any:
        return optimizers.get(self.optimizer).hparam(self.hparam).default

    def get(self, c: Config) -> Any:
        return c.hparams_of(self.optimizer)[self.hparam]

    def put(self, c: Config, value: Any) -> Config:
        return c.with_hparam(self.optimizer, self.hparam, value)


def _hyper_settings() -> Iterator[HyperSetting]:
    kinds = {"bool": "flag", "int": "int", "float": "float"}
    for name in ALL_OPTIMIZERS:
        for hp in optimizers.get(name).hparams:
            yield HyperSetting(
                f"{name}.{hp.name}",
                "hparams",
                kinds[hp.kind],
                lo=hp.lo,
                hi=hp.hi,
                optimizer=name,
                hparam=hp.name,
            )


@dataclass(frozen=True)
class ScheduleSetting(Setting):
    """A parameter of one learning-rate schedule: ``sched.<kind>.<name>`` in the URL."""

    schedule: str = ""
    param: str = ""

    @property
    def default(self) -> Any:
        return optimizers.SCHEDULES[self.schedule].param(self.param).default

    def get(self, c: Config) -> Any:
        return c.schedule_of(self.schedule)[self.param]

    def put(self, c: Config, value: Any) -> Config:
        return c.with_schedule_param(self.schedule, self.param, value)


def _schedule_settings() -> Iterator[ScheduleSetting]:
    kinds = {"bool": "flag", "int": "int", "float": "float", "choice": "choice"}
    for kind in optimizers.SCHEDULES.values():
        for p in kind.params:
            yield ScheduleSetting(
                f"sched.{kind.name}.{p.name}",
                "schedule_params",
                kinds[p.kind],
                choices=p.choices,
                lo=p.lo,
                hi=p.hi,
                schedule=kind.name,
                param=p.name,
            )


def _function_bounds(c: Config) -> tuple[float, float]:
    return c.objective.bounds


def _panels(c: Config) -> tuple[float, float]:
    return 0, len(gallery.get(c.gallery).values) - 1


# The typed function: its text and bounds are checked together (see _Parser.custom).
FUNCTION_SETTINGS = (
    Setting("fn", "function", "choice", ALL_FUNCTION_IDS, clears=("x0",)),
    Setting("expr", "expr", "text"),
    Setting("lo", "lo", "float", lo=-MAX_BOUND, hi=MAX_BOUND),
    Setting("hi", "hi", "float", lo=-MAX_BOUND, hi=MAX_BOUND),
)
SETTINGS: tuple[Setting, ...] = (
    *FUNCTION_SETTINGS,
    Setting("x0", "x0", "float", bounds=_function_bounds),
    Setting("steps", "steps", "int", lo=MIN_UI_STEPS, hi=MAX_UI_STEPS),
    Setting("opt", "optimizers", "list", ALL_OPTIMIZERS),
    *_hyper_settings(),
    Setting("sched", "schedule", "choice", tuple(optimizers.SCHEDULES)),
    *_schedule_settings(),
    Setting("tuned", "tuned", "flag"),
    Setting("log", "log_scale", "flag"),
    Setting("present", "present", "flag"),
    Setting("lang", "lang", "choice", LANGUAGES),
    # "embed" itself is Streamlit's own parameter (it hides Streamlit's chrome, and an
    # embed link sets it too); ours is "mode".
    Setting("mode", "embed", "flag", on_text="embed"),
    Setting("view", "view", "choice", VIEWS),
    Setting("state", "panel_state", "choice", STATE_FIELDS),
    Setting("ex", "explore", "choice", EXPLORE_VIEWS),
    Setting("sw.opt", "sweep_opt", "choice", SWEEP_OPTIMIZERS),
    Setting(
        "sw.y",
        "sweep_y",
        "choice",
        tuple(
            {a: 0 for n in SWEEP_OPTIMIZERS for k in optimizers.SCHEDULES for a in sweep_axes(n, k)}
        ),
    ),
    Setting("sw.metric", "sweep_metric", "choice", SWEEP_METRICS),
    Setting("noise.opt", "noise_opt", "choice", NOISE_OPTIMIZERS),
    Setting("noise.k", "noise_k", "int", lo=2, hi=MAX_ENSEMBLE),
    Setting("step", "step", "int", lo=1, hi=MAX_UI_STEPS),
    Setting("insp.opt", "inspect_opt", "choice", tuple(optimizers.OPTIMIZERS)),
    Setting("gallery", "gallery", "choice", GALLERY_IDS, clears=("panel",)),
    Setting("gstyle", "gallery_style", "choice", STYLES),
    Setting("panel", "panel", "int", bounds=_panels),
)
SETTINGS_BY_KEY = {s.key: s for s in SETTINGS}


def _fmt(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)  # shortest text that reads back to the same float


def _typed(v: float, integer: bool) -> float | int:
    return int(v) if integer else float(v)


class _Parser:
    """Reads one query mapping; every problem becomes a Notice, never an exception."""

    def __init__(self, params: Mapping[str, Any]):
        self.raw = params
        self.notices: list[Notice] = []

    def parse(self) -> tuple[Config, list[Notice]]:
        c = self.read(Config(), FUNCTION_SETTINGS)
        c = self.custom(c)
        c = self.read(c, SETTINGS[len(FUNCTION_SETTINGS) :])
        return c.normalised(), self.notices

    def read(self, c: Config, settings: tuple[Setting, ...]) -> Config:
        """``c`` with each of ``settings`` that the link sets, in order (a setting's
        bounds may depend on those before it)."""
        for s in settings:
            if s.kind == "list" and self.raw.get(s.key) == "":
                c = s.put(c, ())  # none chosen: the page asks for one
                continue
            text = self.value(s.key)
            if text is not None:
                value = self.convert(s, text, c)
                if value is not None:
                    c = s.put(c, value)
        return c

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

    def convert(self, s: Setting, text: str, c: Config) -> Any:
        """The value ``text`` gives setting ``s``, or None with a Notice saying why."""
        if s.kind == "text":
            return text
        if s.kind == "choice":
            if text in s.choices:
                return text
            self.notices.append(Notice(s.key, text, "unknown_choice", ", ".join(s.choices)))
            return None
        if s.kind == "list":
            return self.names(s, text)
        if s.kind == "flag":
            return self.flag(s, text)
        return self.number(s, text, c)

    def number(self, s: Setting, text: str, c: Config) -> float | int | None:
        value, reason = s.number(text, c)
        if reason is not None:
            detail = _fmt(value) if reason == "clamped" else ""
            self.notices.append(Notice(s.key, text, reason, detail))
        return value

    def flag(self, s: Setting, text: str) -> bool | None:
        if s.on_text != "1":  # a flag named by a word, as mode=embed
            if text == s.on_text:
                return True
            self.notices.append(Notice(s.key, text, "unknown_choice", s.on_text))
            return None
        if text.lower() in TRUE:
            return True
        if text.lower() in FALSE:
            return False
        self.notices.append(Notice(s.key, text, "not_a_flag"))
        return None

    def names(self, s: Setting, text: str) -> tuple[str, ...] | None:
        chosen: list[str] = []
        for name in text.split(","):
            name = name.strip()
            if name in s.choices and name not in chosen:
                chosen.append(name)
            elif name and name not in chosen:
                self.notices.append(Notice(s.key, name, "unknown_optimizer", name[:24]))
        return tuple(chosen) or None

    def custom(self, c: Config) -> Config:
        """The typed function's text and bounds, checked together; the default ones if
        they do not work."""
        d = Config()
        if (c.expr, c.lo, c.hi) == (d.expr, d.lo, d.hi):
            return c
        if c.lo >= c.hi:
            self.notices.append(Notice("lo", _fmt(c.lo), "bad_bounds"))
            c = replace(c, lo=d.lo, hi=d.hi)
        try:
            objective_of(CUSTOM, c.expr, c.lo, c.hi)
        except ValueError as e:
            self.notices.append(Notice("expr", c.expr, "bad_expression", e))
            return replace(c, expr=d.expr, lo=d.lo, hi=d.hi)
        return c
