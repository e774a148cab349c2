"""Lion, as lion-pytorch's Lion (weight decay coupled to η): every step is η times the sign
of a blend of momentum and gradient, so every step has the same length."""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

import numpy as np

from optimizers.latex import evaluated, num, paren
from optimizers.methods.adam import ADAM, ADAM_RECORDED, ADAMW
from optimizers.methods.momentum import MOMENTUM_HP
from optimizers.spec import Optimizer, Source, StateField, Text, lr


class LionState(NamedTuple):
    m: np.ndarray
    blend: np.ndarray  # c_t, whose sign is the step's direction


def _lion_init(x, hp):
    zero = np.zeros_like(x)
    return LionState(zero, zero)


def _lion_update(x, g, h, state, hp, t):
    x = x * (1.0 - hp["lr"] * hp["weight_decay"])
    c = state.m * hp["beta1"] + (1.0 - hp["beta1"]) * g
    x_new = x + -hp["lr"] * np.sign(c)
    m = state.m * hp["momentum"] + (1.0 - hp["momentum"]) * g
    return x_new, g, LionState(m, c)


LION_SOURCE = Source(
    init="m = 0.0  # the momentum",
    step="""x_new = x * (1.0 - lr * weight_decay)
c = m * beta1 + (1.0 - beta1) * g
x_new = x_new + -lr * np.sign(c)  # always a step of length lr
m = m * momentum + (1.0 - momentum) * g""",
)


def _lion_rows(s, i, g, hp, x, lang):
    b1, b2 = hp["beta1"], hp["momentum"]
    m_prev = s["m"][i - 1] if i else 0.0
    c = s["blend"][i]
    rows = [
        (
            "c_t",
            rf"\beta_1 m_{{t-1}} + (1 - \beta_1) g_t = {num(b1)} \times {paren(m_prev)} + "
            rf"(1 - {num(b1)}) \times {paren(g)} = {num(c)}",
        ),
        (
            "m_t",
            rf"\beta_2 m_{{t-1}} + (1 - \beta_2) g_t = {num(b2)} \times {paren(m_prev)} + "
            rf"(1 - {num(b2)}) \times {paren(g)} = {num(s['m'][i])}",
        ),
    ]
    lr, wd, sign = hp["lr"], hp["weight_decay"], np.sign(c)
    if wd:
        step, dx = evaluated(
            r"-\eta \lambda x_{t-1} - \eta \operatorname{sign}(c_t)",
            lambda d: (
                rf"-{num(lr, d)} \times {num(wd, d)} \times {paren(x, d)} - {num(lr, d)}"
                rf" \times ({num(sign, d)})"
            ),
            lambda lr, wd, x, sign: -lr * wd * x - lr * sign,
            lr,
            wd,
            x,
            sign,
        )
    else:
        step, dx = evaluated(
            r"-\eta \operatorname{sign}(c_t)",
            lambda d: rf"-{num(lr, d)} \times ({num(sign, d)})",
            lambda lr, sign: -lr * sign,
            lr,
            sign,
        )
    return rows, step, dx


LION = Optimizer(
    name="lion",
    label="Lion",
    label_zh="Lion",
    order=85,
    latex=r"c_t = \beta_1 m_{t-1} + (1 - \beta_1) g_t \qquad "
    r"x_{t+1} = x_t (1 - \eta\lambda) - \eta \operatorname{sign}(c_t) \qquad "
    r"m_t = \beta_2 m_{t-1} + (1 - \beta_2) g_t",
    hparams=(
        lr(0.1),
        replace(
            ADAM.hparam("beta1"),
            help="Weight of the momentum in the blend whose sign is the step; the rest is "
            "the fresh gradient.",
            help_zh="动量在混合量中的权重（步子的方向取这个混合量的符号），其余部分是新梯度。",
        ),
        replace(
            MOMENTUM_HP,
            symbol=r"\beta_2",
            default=0.99,
            hi=0.9999,
            help="Momentum β₂: the fraction of the momentum kept at each step.",
            help_zh="动量 β₂：每步保留动量的比例。",
        ),
        replace(ADAMW.hparam("weight_decay"), default=0.0),
    ),
    init=_lion_init,
    update=_lion_update,
    source=LION_SOURCE,
    recorded=(
        ADAM_RECORDED[0],
        StateField(
            "blend", "c_t", Text("blend cₜ (its sign is the step)", "混合量 cₜ（取其符号）")
        ),
    ),
    rows=_lion_rows,
    color="#EE3377",
    marker="x",
    idea=Text(
        en="Keep only the direction: blend the momentum with the fresh gradient (cₜ) and "
        "step by η times its sign. Every step is exactly η long, on steep walls and on "
        "flat stretches alike, and the momentum mₜ, which forgets more slowly (β₂ > β₁), "
        "decides the direction.",
        zh="只保留方向：把动量与新梯度混合成 cₜ，每步走 η 乘以它的符号。无论在陡壁还是平地"
        "上，每一步的长度都恰好是 η；遗忘得更慢的动量 mₜ（β₂ > β₁）决定方向。",
    ),
    failure=Text(
        en="A step of fixed length never shrinks, so it cannot settle: at the minimum it "
        "keeps jumping back and forth by η. A small η lands close but walks slowly from far "
        "away; a large η gets there fast and then rattles.",
        zh="步长固定不变、从不缩小，所以它停不下来：到了极小点仍以 η 的步长来回跳。η 小时"
        "落点近，但从远处走来很慢；η 大时到得快，到了之后却来回晃动。",
    ),
)
