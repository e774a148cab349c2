"""Schedule-Free SGD and Schedule-Free AdamW, as the schedulefree package's
SGDScheduleFree and AdamWScheduleFree (no warm-up, r = 0, weight_lr_power = 2).

Three points move: zₜ takes the plain (or Adam-normalised) gradient steps, x̄ₜ is the
running average of the zₜ (the point to keep when training ends), and the gradient is
read at yₜ = (1 − β) zₜ + β x̄ₜ, between the two. The trajectory, like torch's parameter
in train mode, is yₜ; zₜ and x̄ₜ are recorded. The twins share the averaging and
differ only in the step zₜ takes.
"""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

import numpy as np

from optimizers.common import Powers
from optimizers.latex import num, paren
from optimizers.methods.adam import ADAM, ADAM_RECORDED, ADAMW
from optimizers.methods.momentum import MOMENTUM_HP
from optimizers.spec import (
    EPS,
    UNIT_OPEN,
    WEIGHT_DECAY,
    Optimizer,
    Source,
    StateField,
    Text,
    lr,
)


class ScheduleFreeState(NamedTuple):
    z: np.ndarray
    x_avg: np.ndarray
    sf_c: np.ndarray  # the averaging weight c_t
    v: np.ndarray  # AdamW's second moment (zero for SGD)
    lr_max: np.ndarray
    weight_sum: np.ndarray
    beta2: Powers | None


def _init(x, hp):
    zero = np.zeros_like(x)
    beta2 = Powers.of(hp["beta2"]) if "beta2" in hp else None
    return ScheduleFreeState(x, x, zero, zero, np.full_like(x, -1.0), zero, beta2)


def _lerp(start, end, weight):
    """torch.lerp: exact at both ends, from whichever end the weight is nearer."""
    return np.where(
        np.abs(weight) < 0.5, start + weight * (end - start), end - (end - start) * (1 - weight)
    )


def _averaged_step(y, g, state, hp, beta, v):
    """Move z by -η g, the average x̄ towards z, and y between them (torch's in-place
    form of yₜ = (1 − β) zₜ + β x̄ₜ)."""
    lr_max = np.maximum(hp["lr"], state.lr_max)
    weight = lr_max**2
    weight_sum = state.weight_sum + weight
    c = weight / weight_sum
    y_new = _lerp(y, state.z, c)
    y_new = y_new + (hp["lr"] * (beta * (1 - c) - 1)) * g
    z = state.z - hp["lr"] * g
    x_avg = _lerp(state.x_avg, z, c)
    return y_new, ScheduleFreeState(z, x_avg, c, v, lr_max, weight_sum, state.beta2)


def _sgd_update(y, g, h, state, hp, t):
    g = g + hp["weight_decay"] * y
    y_new, new = _averaged_step(y, g, state, hp, hp["momentum"], state.v)
    return y_new, g, new


def _adamw_update(y, g, h, state, hp, t):
    b2 = hp["beta2"]
    v = state.v * b2 + (1 - b2) * (g * g)
    denom = np.sqrt(v / (1 - state.beta2.at(t))) + hp["eps"]
    step = g / denom + hp["weight_decay"] * y
    y_new, new = _averaged_step(y, step, state, hp, hp["beta1"], v)
    return y_new, g, new


# The averaging both twins share: z, the weight c_t (weights lr_max**2), y and x̄.
_AVERAGE = """lr_max = max(lr, lr_max)
weight_sum = weight_sum + lr_max**2
c = lr_max**2 / weight_sum
y_new = x + c * (z - x) if abs(c) < 0.5 else z - (z - x) * (1 - c)
x_new = y_new + (lr * (beta * (1 - c) - 1)) * d
z = z - lr * d
x_avg = x_avg + c * (z - x_avg) if abs(c) < 0.5 else z - (z - x_avg) * (1 - c)"""
_INIT = (
    "z = x_avg = np.float64(X0)  # z takes the steps, x_avg averages them, x is between\n"
    "lr_max, weight_sum = -1.0, 0.0"
)
SGD_SOURCE = Source(
    init=_INIT,
    step="g = g + weight_decay * x\nd, beta = g, momentum\n" + _AVERAGE,
)
ADAMW_SOURCE = Source(
    init=_INIT + "\nv = 0.0  # the running average of g squared",
    step="""v = v * beta2 + (1 - beta2) * (g * g)
d = g / (np.sqrt(v / (1 - beta2**t)) + eps) + weight_decay * x
beta = beta1
"""
    + _AVERAGE,
)


def _rows(s, i, g, hp, x, lang, beta, d, d_rows):
    """The rows both twins show: their step d (``d_rows`` says how it is made), c_t,
    z_t, x̄_t, and the step to x_t = (1 − β) z_t + β x̄_t."""
    z_prev, avg_prev = (s["z"][i - 1], s["x_avg"][i - 1]) if i else (x, x)
    c, lr_ = s["sf_c"][i], hp["lr"]
    rows = [
        *d_rows,
        (
            "c_t",
            r"\frac{\eta_{\max}^2}{\sum_{i \le t} \eta_{\max}^2} = " + num(c),
        ),
        (
            "z_t",
            rf"z_{{t-1}} - \eta\, d_t = {num(z_prev)} - {num(lr_)} \times {paren(d)} = {num(s['z'][i])}",
        ),
        (
            r"\bar x_t",
            rf"(1 - c_t) \bar x_{{t-1}} + c_t z_t = (1 - {num(c)}) \times {paren(avg_prev)} + "
            rf"{num(c)} \times {paren(s['z'][i])} = {num(s['x_avg'][i])}",
        ),
    ]
    # torch moves y in place; the step it takes is this difference, whose value the
    # page reads from the trajectory.
    return rows, r"(1 - \beta) z_t + \beta \bar x_t - x_{t-1}"


def _sgd_rows(s, i, g, hp, x, lang):
    return _rows(s, i, g, hp, x, lang, hp["momentum"], g, [("d_t", rf"g_t = {num(g)}")])


def _adamw_rows(s, i, g, hp, x, lang):
    t = i + 1
    v, v_prev = s["v"][i], (s["v"][i - 1] if i else 0.0)
    b2 = float(hp["beta2"])
    d = g / (np.sqrt(v / (1 - b2**t)) + hp["eps"]) + hp["weight_decay"] * x
    d_rows = [
        (
            "v_t",
            rf"\beta_2 v_{{t-1}} + (1 - \beta_2) g_t^2 = {num(b2)} \times {num(v_prev)} + "
            rf"(1 - {num(b2)}) \times {paren(g)}^2 = {num(v)}",
        ),
        (
            "d_t",
            rf"\frac{{g_t}}{{\sqrt{{v_t / (1 - \beta_2^t)}} + \epsilon}} + \lambda x_{{t-1}} = {num(d)}",
        ),
    ]
    return _rows(s, i, g, hp, x, lang, hp["beta1"], d, d_rows)


# The averaging, in LaTeX; d_t is each twin's step.
AVERAGE_LATEX = (
    r"z_t = z_{t-1} - \eta\, d_t \qquad c_t = \frac{\eta_{\max}^2}{\sum_{i \le t} \eta_{\max}^2}"
    r"\\ \bar x_t = (1 - c_t)\, \bar x_{t-1} + c_t z_t \qquad "
    r"x_t = (1 - \beta) z_t + \beta \bar x_t"
)
RECORDED = (
    StateField("z", "z_t", Text("base sequence zₜ", "基础序列 zₜ")),
    StateField("x_avg", r"\bar x_t", Text("average x̄ₜ (the answer)", "平均点 x̄ₜ（最终答案）")),
    StateField("sf_c", "c_t", Text("averaging weight cₜ", "平均权重 cₜ")),
)

SF_SGD = Optimizer(
    name="sf_sgd",
    label="Schedule-Free SGD",
    label_zh="免调度 SGD",
    order=86,
    latex=r"g_t = f'(x_{t-1}) + \lambda x_{t-1} \qquad d_t = g_t \qquad \beta = \mu \\ "
    + AVERAGE_LATEX,
    hparams=(
        lr(0.5),
        replace(
            MOMENTUM_HP,
            hi=0.99,
            valid=UNIT_OPEN,
            help="Momentum β: where between zₜ (β = 0) and the average x̄ₜ (β = 1) the "
            "gradient is read.",
            help_zh="动量 β：在 zₜ（β = 0）与平均点 x̄ₜ（β = 1）之间的哪个位置读取梯度。",
        ),
        WEIGHT_DECAY,
    ),
    init=_init,
    update=_sgd_update,
    source=SGD_SOURCE,
    recorded=RECORDED,
    l2_decay=True,
    rows=_sgd_rows,
    color="#88CCEE",
    marker="diamond-tall",
    idea=Text(
        en="SGD without a schedule: zₜ takes plain gradient steps, x̄ₜ averages all the zₜ so "
        "far, and the gradient is read at xₜ, between them. The trajectory shown is xₜ, "
        "where the gradient is read; the state panel shows zₜ and the average x̄ₜ, which is "
        "the answer.",
        zh="不用调度的 SGD：zₜ 走普通的梯度步，x̄ₜ 是迄今所有 zₜ 的平均，梯度在两者之间的 "
        "xₜ 处读取。图中的轨迹是读取梯度的 xₜ；状态面板显示 zₜ 和平均点 x̄ₜ，后者才是最终"
        "答案。",
    ),
    failure=Text(
        en="The average remembers everything, including the start: early excursions weigh "
        "on x̄ₜ for a long time, so it lags behind when the run moves far. zₜ itself "
        "never slows down, so too large an η still throws it out.",
        zh="平均点记得一切，包括起点：早期的偏离会长时间拖累 x̄ₜ，所以轨迹走远时它会滞后。"
        "zₜ 本身从不减速，所以 η 过大时它仍会被甩出去。",
    ),
)

SF_ADAMW = Optimizer(
    name="sf_adamw",
    label="Schedule-Free AdamW",
    label_zh="免调度 AdamW",
    order=87,
    latex=r"g_t = f'(x_{t-1}) \qquad v_t = \beta_2 v_{t-1} + (1 - \beta_2) g_t^2 \\ "
    r"d_t = \frac{g_t}{\sqrt{v_t / (1 - \beta_2^t)} + \epsilon} + \lambda x_{t-1} \qquad "
    r"\beta = \beta_1 \\ " + AVERAGE_LATEX,
    hparams=(
        lr(0.5),
        replace(
            ADAM.hparam("beta1"),
            help="β₁: where between zₜ (β₁ = 0) and the average x̄ₜ (β₁ = 1) the gradient "
            "is read; it plays momentum's part.",
            help_zh="β₁：在 zₜ（β₁ = 0）与平均点 x̄ₜ（β₁ = 1）之间的哪个位置读取梯度；它起"
            "动量的作用。",
        ),
        ADAM.hparam("beta2"),
        EPS,
        replace(
            ADAMW.hparam("weight_decay"),
            default=0.0,
            help="Weight decay: adds λx to the normalised step, apart from the division by √v̂ₜ.",
            help_zh="权重衰减：在归一化之后的步长上加 λx，不参与除以 √v̂ₜ。",
        ),
    ),
    init=_init,
    update=_adamw_update,
    source=ADAMW_SOURCE,
    recorded=(*RECORDED, ADAM_RECORDED[1]),
    rows=_adamw_rows,
    color="#117733",
    marker="diamond-wide",
    idea=Text(
        en="Schedule-Free SGD with Adam's normalisation: zₜ steps by η·gₜ/√v̂ₜ, x̄ₜ averages "
        "the zₜ, and the gradient is read at xₜ between them. Placing xₜ near the average, "
        "β₁ does the work of Adam's momentum.",
        zh="加上 Adam 归一化的免调度 SGD：zₜ 每步走 η·gₜ/√v̂ₜ，x̄ₜ 是 zₜ 的平均，梯度在"
        "两者之间的 xₜ 处读取。β₁ 让 xₜ 靠近平均点，替代了 Adam 的动量。",
    ),
    failure=Text(
        en="zₜ takes Adam-sized steps of about η however small the slope, so it keeps "
        "hopping near the minimum; only the average x̄ₜ settles, and slowly, as 1/t.",
        zh="无论坡度多小，zₜ 每步都走约 η 的 Adam 式步长，所以在极小点附近一直跳动；只有"
        "平均点 x̄ₜ 会安定下来，而且是按 1/t 慢慢地安定。",
    ),
)
