"""RMSprop, as torch.optim.RMSprop: each step divided by the root of a running average
of squared gradients."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from optimizers.latex import num, paren
from optimizers.methods.adagrad import scaled_rows
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


class RMSpropState(NamedTuple):
    square_avg: np.ndarray
    lr_eff: np.ndarray


def _rmsprop_init(x, hp):
    zero = np.zeros_like(x)
    return RMSpropState(square_avg=zero, lr_eff=zero)


def _rmsprop_update(x, g, h, state, hp, t):
    beta = hp["beta"]
    g = g + hp["weight_decay"] * x
    s = beta * state.square_avg + (1 - beta) * (g * g)
    denom = np.sqrt(s) + hp["eps"]
    return x - hp["lr"] * (g / denom), g, RMSpropState(square_avg=s, lr_eff=hp["lr"] / denom)


RMSPROP_SOURCE = Source(
    init="s = 0.0  # the running average of squared gradients",
    step="""g = g + weight_decay * x
s = beta * s + (1 - beta) * (g * g)
x_new = x - lr * (g / (np.sqrt(s) + eps))""",
)


def _rmsprop_rows(s, i, g, hp, x, lang):
    prev = s["square_avg"][i - 1] if i else 0.0
    rho = num(hp["beta"])
    rule = rf"\rho s_{{t-1}} + (1 - \rho) g_t^2 = {rho} \times {num(prev)} + (1 - {rho}) \times {paren(g)}^2"
    return scaled_rows("square_avg", "s", rule, s, i, g, hp)


BETA = HyperParam(
    "beta",
    r"\rho",
    0.99,
    "Decay of the running average of squared gradients (torch's alpha).",
    lo=0.0,
    hi=0.9999,
    valid=UNIT_OPEN,
    label="decay",
    label_zh="衰减率",
    help_zh="梯度平方滑动平均的衰减率（即 torch 中名为 α 的参数）。",
)

RMSPROP = Optimizer(
    name="rmsprop",
    label="RMSprop",
    label_zh="RMSprop",
    order=60,
    latex=r"g_t = f'(x_t) + \lambda x_t \qquad s_t = \rho s_{t-1} + (1 - \rho) g_t^2"
    r"\qquad x_{t+1} = x_t - \frac{\eta}{\sqrt{s_t} + \epsilon}\, g_t",
    hparams=(lr(0.3), BETA, EPS, WEIGHT_DECAY),
    init=_rmsprop_init,
    update=_rmsprop_update,
    source=RMSPROP_SOURCE,
    recorded=(StateField("square_avg", "s_t", Text("mean square sₜ", "梯度平方均值 sₜ")), LR_EFF),
    l2_decay=True,
    rows=_rmsprop_rows,
    color="#009E73",
    marker="triangle-up",
    idea=Text(
        en="Like AdaGrad, divide the step by the root of the squared gradients, but keep "
        "a running average sₜ that forgets: each step keeps the fraction ρ of the old "
        "average. Wherever the slope is steady, steep or flat, the steps are about η long.",
        zh="和 AdaGrad 一样把步长除以梯度平方的平方根，但改用会遗忘的滑动平均 sₜ：每步"
        "只保留旧平均的 ρ 倍。只要坡度稳定，无论陡缓，步长都约为 η。",
    ),
    failure=Text(
        en="Because the step is normalised, it stays about η long even next to the "
        "minimum, where the gradient is tiny, so with a large η it hops around the minimum "
        "instead of settling. On long flat stretches it amplifies tiny gradients, which "
        "carries it across plateaus but magnifies noise too.",
        zh="由于步长被归一化，即使在梯度很小的极小点旁边，步长也仍约为 η，所以 η 较大时"
        "它会在极小点附近来回跳，停不下来。在又长又平的地段，它会放大微小的梯度，这能带它"
        "穿过平台，但也会放大噪声。",
    ),
)
