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
    "Steps of the cosine's half period: the lr falls from η to η_min over T_max steps "
    "(and climbs again after).",
    "余弦的半个周期（步数）：学习率在 T_max 步内从 η 降到 η_min（之后又回升）。",
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
    "The first step's lr is η times this factor; it grows linearly from there.",
    "第一步的学习率是 η 乘以这个因子，之后线性增长。",
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
                    "Every step_size steps the lr is multiplied by γ.",
                    "每过 step_size 步，学习率乘以 γ。",
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
        ),
        Kind(
            "cosine",
            "CosineAnnealingLR",
            Text("cosine annealing", "余弦退火"),
            (T_MAX, ETA_MIN),
            cosine_annealing_lr,
            r"\eta_t = \eta_{\min} + " + COSINE_TERM % ("e", r"T_{\max}"),
            Text(
                "The lr falls from η to η_min along half a cosine over T_max steps.",
                "学习率沿半个余弦周期，在 T_max 步内从 η 降到 η_min。",
            ),
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
                    r"T_{\text{mult}}",
                    1,
                    "Each cycle is T_mult times as long as the one before.",
                    "每个周期是上一个周期的 T_mult 倍长。",
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
            r"\eta_t = \eta_{\min} + " + COSINE_TERM % (r"T_{\text{cur}}", "T_i"),
            Text(
                "A cosine from η down to η_min, then back to η at once (a restart); "
                "T_cur counts steps since the last restart and each cycle T_i is "
                "T_mult times longer.",
                "学习率沿余弦从 η 降到 η_min，然后立刻回到 η（重启）；T_cur 是上次重启以来的"
                "步数，每个周期 T_i 是上一个的 T_mult 倍。",
            ),
        ),
        Kind(
            "warmup",
            "LinearLR",
            Text("linear warm-up", "线性预热"),
            (
                START_FACTOR,
                _param(
                    "end_factor",
                    r"s_{\text{end}}",
                    1.0,
                    "The factor the lr reaches after total_iters steps.",
                    "经过 total_iters 步后学习率达到的因子。",
                    "end factor",
                    "结束因子",
                    lo=0.0,
                    hi=1.0,
                    valid=UNIT,
                ),
                TOTAL_ITERS,
            ),
            linear_lr,
            r"\eta_t = \eta \left(s + (s_{\text{end}} - s)\frac{\min(e, M)}{M}\right)",
            Text(
                "The lr grows linearly from s·η to s_end·η over M steps, then stays.",
                "学习率在 M 步内从 s·η 线性增长到 s_end·η，之后保持不变。",
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
                "LinearLR for M steps (from s·η towards η), then CosineAnnealingLR from η: "
                "SequentialLR with milestones = [M].",
                "先用 LinearLR 预热 M 步（从 s·η 升向 η），再从 η 开始余弦退火："
                "即 milestones = [M] 的 SequentialLR。",
            ),
            uses=(linear_lr, cosine_annealing_lr),
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
                    r"\text{anneal}",
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
                    "The cycle starts at η / div_factor.",
                    "周期从 η / div_factor 开始。",
                    "start divisor",
                    "起始除数",
                    lo=1.0,
                    hi=1e4,
                    log=True,
                    valid=POSITIVE,
                ),
                _param(
                    "final_div_factor",
                    r"d_{\text{final}}",
                    1e4,
                    "The cycle ends at η / (div_factor · final_div_factor).",
                    "周期结束于 η / (div_factor · final_div_factor)。",
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
            r"\eta_t:\ \tfrac{\eta}{d} \nearrow \eta \text{ over } pT \text{ steps}, "
            r"\text{ then } \eta \searrow \tfrac{\eta}{d\, d_{\text{final}}}",
            Text(
                "The lr climbs from η/d to η (the lr slider is torch's max_lr) over the "
                "first p·T steps, then falls to η/(d·d_final) by step T. Run with "
                "cycle_momentum=False: torch's default would also cycle momentum or β₁ "
                "between 0.95 and 0.85; here they stay as set.",
                "学习率在前 p·T 步从 η/d 升到 η（学习率滑块就是 torch 的 max_lr），然后在第 "
                "T 步前降到 η/(d·d_final)。这里用 cycle_momentum=False：torch 默认还会让"
                "动量或 β₁ 在 0.95 与 0.85 之间循环；这里它们保持设定值。",
            ),
            check=_check_onecycle,
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
    return Schedule(kind, tuple((k, _plain(v)) for k, v in values.items()))


def _plain(value: Any) -> Any:
    """A checked parameter as a Python scalar (torch's own arithmetic is on these)."""
    if isinstance(value, bool | str):
        return value
    return value.item() if hasattr(value, "item") else value
