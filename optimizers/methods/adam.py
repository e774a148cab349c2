"""Adam and AdamW, as torch.optim.Adam and torch.optim.AdamW.

The twins share one module: the same moments, bias correction and step, and differ
only in where the weight decay acts (L2 in the gradient, or decoupled on x).
"""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

import numpy as np

from optimizers.common import Powers
from optimizers.latex import digits_for, first_moment_row, num, paren, words
from optimizers.spec import (
    EPS,
    LR_EFF,
    UNIT_OPEN,
    WEIGHT_DECAY,
    HyperParam,
    Optimizer,
    Source,
    StateField,
    Text,
    lr,
)


class AdamState(NamedTuple):
    m: np.ndarray
    v: np.ndarray
    m_hat: np.ndarray  # bias-corrected moments, recorded for display only
    v_hat: np.ndarray
    lr_eff: np.ndarray
    beta1: Powers
    beta2: Powers


def _adam_init(x, hp):
    zero = np.zeros_like(x)
    return AdamState(zero, zero, zero, zero, zero, Powers.of(hp["beta1"]), Powers.of(hp["beta2"]))


def _adam_step(x, g, state, hp, t):
    b1, b2 = hp["beta1"], hp["beta2"]
    m = b1 * state.m + (1 - b1) * g
    v = b2 * state.v + (1 - b2) * (g * g)
    if hp["bias_correction"]:
        bc1, bc2 = 1 - state.beta1.at(t), 1 - state.beta2.at(t)
    else:
        bc1, bc2 = 1.0, 1.0
    step_size = hp["lr"] / bc1
    denom = np.sqrt(v) / np.sqrt(bc2) + hp["eps"]
    # lr_eff multiplies the bias-corrected m̂: the step is lr_eff · m̂.
    new = AdamState(m, v, m / bc1, v / bc2, hp["lr"] / denom, state.beta1, state.beta2)
    return x - step_size * (m / denom), g, new


def _adam_update(x, g, h, state, hp, t):
    return _adam_step(x, g + hp["weight_decay"] * x, state, hp, t)


def _adamw_update(x, g, h, state, hp, t):
    # Decoupled: shrink x itself, then an Adam step on the bare gradient.
    return _adam_step(x * (1 - hp["lr"] * hp["weight_decay"]), g, state, hp, t)


# The moments and the step both twins take; beta ** t is Python's float power, as in
# ``Powers``.
_ADAM_STEP = """m = beta1 * m + (1 - beta1) * g
v = beta2 * v + (1 - beta2) * (g * g)
if bias_correction:
    bc1, bc2 = 1 - beta1**t, 1 - beta2**t
else:
    bc1, bc2 = 1.0, 1.0
denom = np.sqrt(v) / np.sqrt(bc2) + eps
x_new = x_new - (lr / bc1) * (m / denom)"""
_ADAM_INIT = "m = v = 0.0  # the running averages of g and of g squared"
ADAM_SOURCE = Source(
    init=_ADAM_INIT,
    step="g = g + weight_decay * x  # L2 weight decay\nx_new = x\n" + _ADAM_STEP,
)
ADAMW_SOURCE = Source(
    init=_ADAM_INIT,
    step="x_new = x * (1 - lr * weight_decay)  # decoupled weight decay\n" + _ADAM_STEP,
)


NO_BIAS = Text("bias correction off", "偏差修正已关闭")


def _adam_rows(s, i, g, hp, x, lang):
    step_t = i + 1
    b1, b2 = hp["beta1"], hp["beta2"]
    m_prev, v_prev = (s["m"][i - 1], s["v"][i - 1]) if i else (0.0, 0.0)
    rows = [
        first_moment_row(b1, m_prev, g, s["m"][i]),
        (
            "v_t",
            rf"\beta_2 v_{{t-1}} + (1 - \beta_2) g_t^2 = {num(b2)} \times {num(v_prev)} + "
            rf"(1 - {num(b2)}) \times {paren(g)}^2 = {num(s['v'][i])}",
        ),
    ]
    if hp["bias_correction"]:
        bc1, bc2 = 1 - float(b1) ** step_t, 1 - float(b2) ** step_t
        rows += [
            (r"1 - \beta_1^t", rf"1 - {num(b1)}^{{{step_t}}} = {num(bc1)}"),
            (r"1 - \beta_2^t", rf"1 - {num(b2)}^{{{step_t}}} = {num(bc2)}"),
        ]
    else:
        bc1 = bc2 = 1.0
        rows.append((r"1 - \beta^t", r"1 \quad " + words(NO_BIAS.get(lang))))
    rows += [
        (
            r"\hat m_t",
            rf"\frac{{m_t}}{{1 - \beta_1^t}} = \frac{{{num(s['m'][i])}}}{{{num(bc1)}}} = {num(s['m_hat'][i])}",
        ),
        (
            r"\hat v_t",
            rf"\frac{{v_t}}{{1 - \beta_2^t}} = \frac{{{num(s['v'][i])}}}{{{num(bc2)}}} = {num(s['v_hat'][i])}",
        ),
        (
            r"\eta_{\text{eff}}",
            rf"\frac{{\eta}}{{\sqrt{{\hat v_t}} + \epsilon}} = \frac{{{num(hp['lr'])}}}"
            rf"{{\sqrt{{{num(s['v_hat'][i])}}} + {num(hp['eps'])}}} = {num(s['lr_eff'][i])}",
        ),
    ]
    lr_eff, m_hat = s["lr_eff"][i], s["m_hat"][i]
    dx = -(lr_eff * m_hat)
    d = digits_for(dx, lambda a, b: -(a * b), lr_eff, m_hat)
    step = (
        rf"-\eta_{{\text{{eff}}}}\, \hat m_t = -{num(lr_eff, d)} \times {paren(m_hat, d)}"
        rf" = {num(dx)}"
    )
    return rows, step, dx


def _adamw_rows(s, i, g, hp, x, lang):
    rows, *_ = _adam_rows(s, i, g, hp, x, lang)
    ops = (hp["lr"], hp["weight_decay"], x, s["lr_eff"][i], s["m_hat"][i])

    def rule(lr, wd, x, lr_eff, m_hat):
        return -lr * wd * x - lr_eff * m_hat

    dx = rule(*ops)
    d = digits_for(dx, rule, *ops)
    lr, wd, x, lr_eff, m_hat = ops
    step = (
        rf"-\eta \lambda x_{{t-1}} - \eta_{{\text{{eff}}}}\, \hat m_t = "
        rf"-{num(lr, d)} \times {num(wd, d)} \times {paren(x, d)} "
        rf"- {num(lr_eff, d)} \times {paren(m_hat, d)} = {num(dx)}"
    )
    return rows, step, dx


ADAM_HPARAMS = (
    lr(1.0),
    HyperParam(
        "beta1",
        r"\beta_1",
        0.9,
        "Decay of the running average of gradients (the momentum).",
        lo=0.0,
        hi=0.9999,
        valid=UNIT_OPEN,
        label="first-moment decay",
        label_zh="一阶矩衰减",
        help_zh="梯度滑动平均（动量）的衰减率。",
    ),
    HyperParam(
        "beta2",
        r"\beta_2",
        0.999,
        "Decay of the running average of squared gradients.",
        lo=0.0,
        hi=0.9999,
        valid=UNIT_OPEN,
        label="second-moment decay",
        label_zh="二阶矩衰减",
        help_zh="梯度平方滑动平均的衰减率。",
    ),
    EPS,
    WEIGHT_DECAY,
    HyperParam(
        "bias_correction",
        r"\text{bias correction}",
        True,
        "Divide the averages by 1 − βᵗ, which undoes their start at zero so the first "
        "steps have the intended size.",
        kind="bool",
        label="bias correction",
        label_zh="偏差修正",
        help_zh="除以 1 − βᵗ，抵消滑动平均从零开始的偏差，使最初几步的步长符合预期。",
    ),
)
ADAM_RECORDED = (
    StateField("m", "m_t", Text("first moment mₜ", "一阶矩 mₜ")),
    StateField("v", "v_t", Text("second moment vₜ", "二阶矩 vₜ")),
    StateField("m_hat", r"\hat m_t", Text("bias-corrected m̂ₜ", "偏差修正后的 m̂ₜ")),
    StateField("v_hat", r"\hat v_t", Text("bias-corrected v̂ₜ", "偏差修正后的 v̂ₜ")),
    LR_EFF,
)
ADAM_MOMENTS = (
    r"m_t = \beta_1 m_{t-1} + (1 - \beta_1) g_t \qquad "
    r"v_t = \beta_2 v_{t-1} + (1 - \beta_2) g_t^2 \\ "
    r"\hat m_t = \frac{m_t}{1 - \beta_1^t} \qquad \hat v_t = \frac{v_t}{1 - \beta_2^t}"
)

ADAM = Optimizer(
    name="adam",
    label="Adam",
    label_zh="Adam",
    order=70,
    latex=r"g_t = f'(x_t) + \lambda x_t \qquad "
    + ADAM_MOMENTS
    + r"\qquad x_{t+1} = x_t - \frac{\eta\, \hat m_t}{\sqrt{\hat v_t} + \epsilon}",
    hparams=ADAM_HPARAMS,
    init=_adam_init,
    update=_adam_update,
    source=ADAM_SOURCE,
    recorded=ADAM_RECORDED,
    l2_decay=True,
    rows=_adam_rows,
    color="#D55E00",
    marker="diamond",
    idea=Text(
        en="Momentum and RMSprop together: mₜ averages the gradients (β₁), vₜ averages "
        "their squares (β₂), and the step is η·m̂ₜ/(√v̂ₜ + ε). Both averages start at 0, so "
        "bias correction divides them by 1 − βᵗ to undo that start.",
        zh="动量法与 RMSprop 的结合：mₜ 是梯度的滑动平均（β₁），vₜ 是梯度平方的滑动平均"
        "（β₂），每步走 η·m̂ₜ/(√v̂ₜ + ε)。两个平均都从 0 开始，所以偏差修正把它们除以 "
        "1 − βᵗ，抵消这个起点的影响。",
    ),
    failure=Text(
        en="In the first steps the averages have not warmed up. Without bias correction "
        "mₜ is too small but √vₜ is far too small (by √(1 − β₂ᵗ)), so the early steps come "
        "out 3 to 6.6 times too long, not too short; with it, the first step is η. Like "
        "RMSprop, its steps stay about η long near the minimum, so a large η keeps it "
        "circling rather than settling.",
        zh="最初几步里，两个平均值都还没“热身”。没有偏差修正时，mₜ 偏小，√vₜ 却偏小得"
        "多（差一个 √(1 − β₂ᵗ) 的因子），所以早期的步子反而长了 3 到 6.6 倍，而不是太短；"
        "有修正时，第一步就是 η。和 RMSprop 一样，它在极小点附近的步长仍约为 η，η 较大时"
        "会一直绕圈，停不下来。",
    ),
)

DECOUPLED_DECAY_HELP = (
    "Decoupled weight decay: shrinks x by the factor 1 − ηλ at every step, apart from the gradient."
)

ADAMW = Optimizer(
    name="adamw",
    label="AdamW",
    label_zh="AdamW",
    order=80,
    latex=r"g_t = f'(x_t) \qquad "
    + ADAM_MOMENTS
    + r"\qquad x_{t+1} = x_t (1 - \eta\lambda) - \frac{\eta\, \hat m_t}{\sqrt{\hat v_t} + \epsilon}",
    hparams=tuple(
        replace(hp, default=0.01, help=DECOUPLED_DECAY_HELP) if hp.name == "weight_decay" else hp
        for hp in ADAM_HPARAMS
    ),
    init=_adam_init,
    update=_adamw_update,
    source=ADAMW_SOURCE,
    recorded=ADAM_RECORDED,
    rows=_adamw_rows,
    color="#CC79A7",
    marker="hexagon",
    idea=Text(
        en="Adam with decoupled weight decay: instead of adding λx to the gradient, it "
        "shrinks x itself by the factor 1 − ηλ before each Adam step. With λ = 0 it is "
        "exactly Adam.",
        zh="权重衰减解耦的 Adam：它不把 λx 加进梯度，而是在每次 Adam 更新之前直接把 x "
        "乘以 1 − ηλ。λ = 0 时它与 Adam 完全相同。",
    ),
    failure=Text(
        en="Adam's own weight decay adds λx to the gradient, and the division by √v̂ₜ "
        "then rescales that pull, so where gradients are large the decay all but vanishes; "
        "AdamW's shrink bypasses the division and takes the same fraction ηλ off x "
        "whatever the gradients. "
        "Either way, a large λ drags the run towards x = 0, and where it comes to rest is "
        "no longer the minimum of f.",
        zh="Adam 自带的权重衰减把 λx 加进梯度，随后除以 √v̂ₜ 又把这股拉力重新缩放，"
        "所以在梯度大的地方，衰减几乎消失；AdamW 的缩小绕过了这个除法，无论梯度大小，"
        "每步都把 x 按同样的比例 ηλ 拉向 0。不管哪一种，λ 太大都会把轨迹拽向 x = 0，它停下的位置也就不再是 f 的极小点。",
    ),
)
