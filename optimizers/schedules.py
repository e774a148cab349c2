"""Learning-rate schedules, step for step as torch.optim.lr_scheduler computes them.

Each schedule is a generator of the learning rate used at optimizer steps 1, 2, ...:
its first value is the lr after the scheduler's construction, and each next value is
the lr after one more ``scheduler.step()``, which torch calls once per optimizer step,
after it. The base lr is the optimizer's ``lr`` (OneCycleLR's ``max_lr``).

The generators repeat torch's own arithmetic in float64, in torch's order: the
chainable forms (``lr * gamma``, the cosine ratio) where torch's ``get_lr`` chains, the
closed forms where it does not (warm restarts, one-cycle). A base lr may be a NumPy
array (a sweep): every operation on it is elementwise, and the schedule's own
numbers (cosines, ratios) are Python floats, as in torch, so each element gets the
digits a scalar run gets. The generators need only ``math``: the page's exported
program copies their source.

OneCycleLR is run with ``cycle_momentum=False``: torch's default also cycles
momentum or β₁, which these schedules leave alone.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from errors import LabError
from optimizers.spec import HyperParam, Interval, StateField, Text

POSITIVE = Interval(0.0, lo_open=True)
# What a scheduled run records at every step: the lr the rule used.
LR_USED = StateField("lr", r"\eta_t", Text("learning rate ηₜ (scheduled)", "学习率 ηₜ（按调度）"))
UNIT = Interval(0.0, 1.0)


def constant_lr(lr):
    while True:
        yield lr


def step_lr(lr, step_size, gamma):
    e = 0
    while True:
        yield lr
        e += 1
        if e % step_size == 0:
            lr = lr * gamma


def exponential_lr(lr, gamma):
    while True:
        yield lr
        lr = lr * gamma


def cosine_annealing_lr(lr, T_max, eta_min, base=None):
    # ``base``: the lr the schedule anneals from when ``lr`` is already a later value
    # (SequentialLR hands over at its milestone).
    base = lr if base is None else base
    e = 0
    while True:
        yield lr
        e += 1
        if (e - 1 - T_max) % (2 * T_max) == 0:
            lr = lr + (base - eta_min) * (1 - math.cos(math.pi / T_max)) / 2
        else:
            ratio = (1 + math.cos(math.pi * e / T_max)) / (1 + math.cos(math.pi * (e - 1) / T_max))
            lr = ratio * (lr - eta_min) + eta_min


def cosine_warm_restarts_lr(lr, T_0, T_mult, eta_min):
    T_cur, T_i = 0, T_0
    while True:
        yield eta_min + (lr - eta_min) * (1 + math.cos(math.pi * T_cur / T_i)) / 2
        T_cur = T_cur + 1
        if T_cur >= T_i:
            T_cur = T_cur % T_i
            T_i = T_i * T_mult


def linear_lr(lr, start_factor, end_factor, total_iters):
    lr = lr * start_factor
    e = 0
    while True:
        yield lr
        e += 1
        if e <= total_iters:
            slope = end_factor - start_factor
            lr = lr * (1.0 + slope / (total_iters * start_factor + (e - 1) * slope))


def warmup_cosine_lr(lr, start_factor, total_iters, T_max, eta_min):
    # SequentialLR([LinearLR(start_factor, total_iters=M), CosineAnnealingLR(T_max,
    # eta_min)], milestones=[M]): at M the cosine restarts from its closed form at 0.
    warmup = linear_lr(lr, start_factor, 1.0, total_iters)
    for _ in range(total_iters):
        yield next(warmup)
    start = eta_min + (lr - eta_min) * (1 + math.cos(math.pi * 0 / T_max)) / 2
    yield from cosine_annealing_lr(start, T_max, eta_min, base=lr)


def one_cycle_lr(
    lr, total_steps, pct_start, anneal_strategy, div_factor, final_div_factor, three_phase
):
    def anneal(start, end, pct):
        if anneal_strategy == "cos":
            return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)
        return (end - start) * pct + start

    initial = lr / div_factor
    levels = {"initial": initial, "max": lr, "min": initial / final_div_factor}
    up = float(pct_start * total_steps) - 1
    if three_phase:
        phases = [
            (up, "initial", "max"),
            (float(2 * pct_start * total_steps) - 2, "max", "initial"),
            (total_steps - 1, "initial", "min"),
        ]
    else:
        phases = [(up, "initial", "max"), (total_steps - 1, "max", "min")]
    for e in range(total_steps + 1):  # torch refuses to step beyond total_steps
        start_step = 0.0
        for i, (end_step, start, end) in enumerate(phases):
            if e <= end_step or i == len(phases) - 1:
                pct = (e - start_step) / (end_step - start_step)
                yield anneal(levels[start], levels[end], pct)
                break
            start_step = end_step


@dataclass(frozen=True)
class Kind:
    """One kind of schedule: its torch class, its parameters (as torch names them),
    the generator that computes it, its formula, and its name and note on the page.

    ``latex`` writes the lr ηₜ used at step t in closed form, with e = t − 1 the
    scheduler steps taken before it and η the optimizer's lr. ``check(params, steps)``
    raises a LabError for combinations torch refuses."""

    name: str
    torch: str
    label: Text
    params: tuple[HyperParam, ...]
    lrs: Callable[..., Iterator[Any]]
    latex: str
    note: Text
    check: Callable[[dict, int], None] | None = None
    uses: tuple[Callable[..., Iterator[Any]], ...] = ()  # generators ``lrs`` calls
    # Parameters the generator only multiplies, divides, adds: they may be arrays, so a
    # sweep map can put them on an axis.
    sweeps: tuple[str, ...] = ()

    def param(self, name: str) -> HyperParam:
        for p in self.params:
            if p.name == name:
                return p
        raise LabError("unknown_hparam", name=name, optimizer=self.name)

    @property
    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}

    @property
    def source(self) -> str:
        """The generator, and those it calls, as plain Python for the exported program."""
        return "\n\n".join(inspect.getsource(f) for f in (*self.uses, self.lrs))


def _param(name, symbol, default, en, zh, label, label_zh, **kw) -> HyperParam:
    return HyperParam(name, symbol, default, en, help_zh=zh, label=label, label_zh=label_zh, **kw)


def _gamma(default: float, en: str, zh: str) -> HyperParam:
    return _param(
        "gamma", r"\gamma", default, en, zh, "decay factor", "衰减因子",
        lo=0.0, hi=0.9999, valid=UNIT,
    )  # fmt: skip


ETA_MIN = _param(
    "eta_min",
    r"\eta_{\min}",
    0.0,
    "The lowest learning rate the cosine reaches.",
    "余弦降到的最低学习率。",
    "minimum learning rate",
    "最低学习率",
    lo=0.0,
    hi=1.0,
)
T_MAX = _param(
    "T_max",
    r"T_{\max}",
    1000,
    "Steps of the cosine's half period: the lr falls from $\\eta$ to $\\eta_{\\min}$ over "
    "$T_{\\max}$ steps (and climbs again after).",
    "余弦的半个周期（步数）：学习率在 $T_{\\max}$ 步内从 $\\eta$ 降到 $\\eta_{\\min}$"
    "（之后又回升）。",
    "half period",
    "半周期",
    lo=1,
    hi=100_000,
    kind="int",
    valid=Interval(1.0),
)
START_FACTOR = _param(
    "start_factor",
    r"s",
    1.0 / 3,
    r"The first step's lr is $\eta$ times this factor; it changes linearly from there.",
    r"第一步的学习率是 $\eta$ 乘以这个因子，之后线性变化。",
    "start factor",
    "起始因子",
    lo=0.001,
    hi=1.0,
    log=True,
    valid=Interval(0.0, 1.0, lo_open=True),
)
TOTAL_ITERS = _param(
    "total_iters",
    r"M",
    5,
    "Steps the linear change takes.",
    "线性变化所用的步数。",
    "warm-up steps",
    "预热步数",
    lo=1,
    hi=100_000,
    kind="int",
    valid=Interval(1.0),
)


def _check_onecycle(p: dict, steps: int) -> None:
    total, pct = p["total_steps"], p["pct_start"]
    if steps > total:
        raise LabError("onecycle_too_short", total_steps=total, steps=steps)
    # Each phase must be at least a step long (torch divides by its length).
    ends = [pct * total - 1, *([2 * pct * total - 2] if p["three_phase"] else []), total - 1]
    if not all(b > a for a, b in zip([0.0, *ends], ends, strict=False)):
        raise LabError("onecycle_phases", total_steps=total, pct_start=pct)


COSINE_TERM = r"\tfrac{1}{2}(\eta - \eta_{\min})\left(1 + \cos\frac{\pi\, %s}{%s}\right)"

KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "constant",
            "",
            Text("constant", "恒定"),
            (),
            constant_lr,
            r"\eta_t = \eta",
            Text("The learning rate never changes.", "学习率始终不变。"),
        ),
        Kind(
            "step",
            "StepLR",
            Text("step decay", "阶梯衰减"),
            (
                _param(
                    "step_size",
                    r"k",
                    100,
                    "Every $k$ steps the lr is multiplied by $\\gamma$.",
                    "每过 $k$ 步，学习率乘以 $\\gamma$。",
                    "steps per drop",
                    "每级步数",
                    lo=1,
                    hi=100_000,
                    kind="int",
                    valid=Interval(1.0),
                ),
                _gamma(
                    0.1,
                    "The factor each drop multiplies the lr by.",
                    "每次下降时学习率乘以的因子。",
                ),
            ),
            step_lr,
            r"\eta_t = \eta\, \gamma^{\lfloor e / k \rfloor}",
            Text(
                "The lr stays flat, then drops by the factor γ every k steps.",
                "学习率保持不变，每过 k 步乘以 γ 下降一级。",
            ),
            sweeps=("gamma",),
        ),
        Kind(
            "exponential",
            "ExponentialLR",
            Text("exponential decay", "指数衰减"),
            (
                _gamma(
                    0.995, "The factor every step multiplies the lr by.", "每一步学习率乘以的因子。"
                ),
            ),
            exponential_lr,
            r"\eta_t = \eta\, \gamma^{e}",
            Text("Every step multiplies the lr by γ.", "每一步都把学习率乘以 γ。"),
            sweeps=("gamma",),
        ),
        Kind(
            "cosine",
            "CosineAnnealingLR",
            Text("cosine annealing", "余弦退火"),
            (T_MAX, ETA_MIN),
            cosine_annealing_lr,
            r"\eta_t = \eta_{\min} + " + COSINE_TERM % ("e", r"T_{\max}"),
            Text(
                "The lr falls from $\\eta$ to $\\eta_{\\min}$ along half a cosine over "
                "$T_{\\max}$ steps.",
                "学习率沿半个余弦周期，在 $T_{\\max}$ 步内从 $\\eta$ 降到 $\\eta_{\\min}$。",
            ),
            sweeps=("eta_min",),
        ),
        Kind(
            "restarts",
            "CosineAnnealingWarmRestarts",
            Text("cosine with warm restarts", "带热重启的余弦"),
            (
                _param(
                    "T_0",
                    r"T_0",
                    200,
                    "Steps until the first restart.",
                    "到第一次重启的步数。",
                    "first cycle",
                    "首个周期",
                    lo=1,
                    hi=100_000,
                    kind="int",
                    valid=Interval(1.0),
                ),
                _param(
                    "T_mult",
                    r"T_{\mathrm{mult}}",
                    1,
                    "Each cycle is $T_{\\mathrm{mult}}$ times as long as the one before.",
                    "每个周期是上一个周期的 $T_{\\mathrm{mult}}$ 倍长。",
                    "cycle growth",
                    "周期倍增",
                    lo=1,
                    hi=10,
                    kind="int",
                    valid=Interval(1.0),
                ),
                ETA_MIN,
            ),
            cosine_warm_restarts_lr,
            r"\eta_t = \eta_{\min} + " + COSINE_TERM % (r"T_{\mathrm{cur}}", "T_i"),
            Text(
                r"A cosine from $\eta$ down to $\eta_{\min}$, then back to $\eta$ at once (a "
                r"restart); $T_{\mathrm{cur}}$ counts steps since the last restart and each "
                r"cycle $T_i$ is $T_{\mathrm{mult}}$ times longer than the one before.",
                r"学习率沿余弦从 $\eta$ 降到 $\eta_{\min}$，然后立刻回到 $\eta$（重启）；"
                r"$T_{\mathrm{cur}}$ 是上次重启以来的步数，每个周期 $T_i$ 是上一个的 "
                r"$T_{\mathrm{mult}}$ 倍。",
            ),
            sweeps=("eta_min",),
        ),
        Kind(
            "warmup",
            "LinearLR",
            Text("linear warm-up", "线性预热"),
            (
                START_FACTOR,
                _param(
                    "end_factor",
                    r"s_{\mathrm{end}}",
                    1.0,
                    "The factor the lr reaches after $M$ steps.",
                    "经过 $M$ 步后学习率达到的因子。",
                    "end factor",
                    "结束因子",
                    lo=0.0,
                    hi=1.0,
                    valid=UNIT,
                ),
                TOTAL_ITERS,
            ),
            linear_lr,
            r"\eta_t = \eta \left(s + (s_{\mathrm{end}} - s)\frac{\min(e, M)}{M}\right)",
            Text(
                "The lr changes linearly from $s\\eta$ to $s_{\\mathrm{end}}\\eta$ over $M$ "
                "steps, then stays.",
                "学习率在 $M$ 步内从 $s\\eta$ 线性变到 $s_{\\mathrm{end}}\\eta$，之后保持不变。",
            ),
            sweeps=(
                "start_factor",
                "end_factor",
            ),
        ),
        Kind(
            "warmup_cosine",
            "SequentialLR",
            Text("warm-up, then cosine", "预热后余弦"),
            (
                START_FACTOR,
                replace(TOTAL_ITERS, default=100),
                T_MAX,
                ETA_MIN,
            ),
            warmup_cosine_lr,
            r"\eta_t = \begin{cases} \eta \left(s + (1 - s)\frac{e}{M}\right) & e < M \\ "
            r"\eta_{\min} + " + COSINE_TERM % ("(e - M)", r"T_{\max}") + r" & e \ge M \end{cases}",
            Text(
                r"`LinearLR` for $M$ steps (from $s\eta$ towards $\eta$), then "
                r"`CosineAnnealingLR` from $\eta$: `SequentialLR` with `milestones=[M]`.",
                r"先用 `LinearLR` 预热 $M$ 步（从 $s\eta$ 升向 $\eta$），再从 $\eta$ 开始"
                r"余弦退火（`CosineAnnealingLR`）：即 `milestones=[M]` 的 `SequentialLR`。",
            ),
            uses=(linear_lr, cosine_annealing_lr),
            sweeps=(
                "start_factor",
                "eta_min",
            ),
        ),
        Kind(
            "onecycle",
            "OneCycleLR",
            Text("one-cycle", "单周期"),
            (
                _param(
                    "total_steps",
                    r"T",
                    1000,
                    "Steps in the cycle; a run may not take more.",
                    "一个周期的步数；运行的步数不能超过它。",
                    "cycle steps",
                    "周期步数",
                    lo=1,
                    hi=100_000,
                    kind="int",
                    valid=Interval(1.0),
                ),
                _param(
                    "pct_start",
                    r"p",
                    0.3,
                    "The fraction of the cycle spent raising the lr.",
                    "周期中用于提升学习率的比例。",
                    "rising fraction",
                    "上升比例",
                    lo=0.0,
                    hi=1.0,
                    valid=UNIT,
                ),
                _param(
                    "anneal_strategy",
                    "A",
                    "cos",
                    "How the lr moves between its levels: along a cosine or a straight line.",
                    "学习率在各水平之间如何变化：沿余弦或沿直线。",
                    "anneal strategy",
                    "退火方式",
                    kind="choice",
                    choices=("cos", "linear"),
                ),
                _param(
                    "div_factor",
                    r"d",
                    25.0,
                    r"The cycle starts at $\eta/d$.",
                    r"周期从 $\eta/d$ 开始。",
                    "start divisor",
                    "起始除数",
                    lo=1.0,
                    hi=1e4,
                    log=True,
                    valid=POSITIVE,
                ),
                _param(
                    "final_div_factor",
                    r"d_{\mathrm{final}}",
                    1e4,
                    r"The cycle ends at $\eta/(d\,d_{\mathrm{final}})$.",
                    r"周期结束于 $\eta/(d\,d_{\mathrm{final}})$。",
                    "final divisor",
                    "最终除数",
                    lo=1.0,
                    hi=1e6,
                    log=True,
                    valid=POSITIVE,
                ),
                _param(
                    "three_phase",
                    r"\text{three phase}",
                    False,
                    "Fall back to the start level before the final descent, as in the "
                    "original paper.",
                    "在最后下降之前先回到起始水平，如原论文所述。",
                    "three phases",
                    "三阶段",
                    kind="bool",
                ),
            ),
            one_cycle_lr,
            r"\eta_t = \begin{cases} A\left(\tfrac{\eta}{d}, \eta, \tfrac{e}{pT - 1}\right)"
            r" & e \le pT - 1 \\ A\left(\eta, \tfrac{\eta}{d\, d_{\mathrm{final}}}, "
            r"\tfrac{e - pT + 1}{T - pT}\right) & e > pT - 1 \end{cases} \qquad "
            r"A(a, b, u) = \begin{cases} b + (a - b)\tfrac{1 + \cos \pi u}{2} & \cos \\ "
            r"a + (b - a)\, u & \mathrm{linear} \end{cases}",
            Text(
                r"The lr climbs from $\eta/d$ to $\eta$ over the first $pT$ steps (the lr "
                r"slider is torch's `max_lr`), then falls to $\eta/(d\,d_{\mathrm{final}})$ by "
                r"step $T$. Run with `cycle_momentum=False`: torch's default would also "
                r"cycle momentum or $\beta_1$ between 0.95 and 0.85; here they stay as set.",
                r"学习率在前 $pT$ 步从 $\eta/d$ 升到 $\eta$（学习率滑块就是 torch 的 "
                r"`max_lr`），然后到第 $T$ 步降到 $\eta/(d\,d_{\mathrm{final}})$。这里用 "
                r"`cycle_momentum=False`：torch 默认还会让动量或 $\beta_1$ 在 0.95 与 0.85 "
                r"之间循环；这里它们保持设定值。",
            ),
            check=_check_onecycle,
            sweeps=(
                "div_factor",
                "final_div_factor",
            ),
        ),
    )
}


@dataclass(frozen=True)
class Schedule:
    """A schedule with its parameters, checked: hashable, so it can key a cache."""

    kind: str
    params: tuple[tuple[str, Any], ...] = ()

    @property
    def spec(self) -> Kind:
        return KINDS[self.kind]

    @property
    def values(self) -> dict[str, Any]:
        return dict(self.params)

    def lrs(self, lr: Any) -> Iterator[Any]:
        """The lr of each optimizer step, from base lr ``lr`` (scalar or array)."""
        return self.spec.lrs(lr, **self.values)

    def check(self, steps: int) -> None:
        if self.spec.check:
            self.spec.check(self.values, steps)

    @property
    def arrays(self) -> dict[str, Any]:
        """The parameters that vary across a batch (a sweep axis)."""
        return {k: v for k, v in self.params if getattr(v, "ndim", 0) > 0}

    def mapped(self, f: Callable[[Any], Any]) -> Schedule:
        """This schedule with ``f`` applied to each array parameter (flatten, split)."""
        arrays = self.arrays
        return Schedule(self.kind, tuple((k, f(v) if k in arrays else v) for k, v in self.params))


def schedule(kind: str = "constant", **params: Any) -> Schedule:
    """Schedule ``kind`` with ``params`` (the rest at their defaults), each checked
    against its spec; a LabError names what is wrong."""
    if kind not in KINDS:
        raise LabError("bad_choice", name="schedule", value=kind, choices=", ".join(KINDS))
    spec = KINDS[kind]
    unknown = sorted(set(params) - set(spec.defaults))
    if unknown:
        takes = ", ".join(spec.defaults) or "none"
        raise LabError("unexpected_hparam", name=unknown[0], optimizer=spec.torch, choices=takes)
    values = {p.name: p.check(params.get(p.name, p.default)) for p in spec.params}
    arrays = sorted(k for k, v in values.items() if getattr(v, "ndim", 0) > 0)
    if set(arrays) - set(spec.sweeps):
        choices = ", ".join(spec.sweeps) or "none"
        raise LabError("bad_sweep_axis", value=arrays[0], optimizer=spec.torch, choices=choices)
    return Schedule(kind, tuple((k, _plain(v)) for k, v in values.items()))


def _plain(value: Any) -> Any:
    """A checked parameter as a Python scalar (torch's own arithmetic is on these); an
    array (a sweep axis) stays one."""
    if isinstance(value, bool | str) or getattr(value, "ndim", 0) > 0:
        return value
    return value.item() if hasattr(value, "item") else value
