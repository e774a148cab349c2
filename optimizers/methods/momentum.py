"""SGD with momentum, dampening, Nesterov and L2 weight decay, as torch.optim.SGD."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from errors import LabError
from optimizers.latex import digits_for, num, paren
from optimizers.spec import (
    WEIGHT_DECAY,
    HyperParam,
    Interval,
    Optimizer,
    Source,
    StateField,
    Text,
    lr,
)


class MomentumState(NamedTuple):
    velocity: np.ndarray  # torch's momentum_buffer


def _momentum_init(x, hp):
    return MomentumState(velocity=np.zeros_like(x))


def _momentum_update(x, g, h, state, hp, t):
    mu = hp["momentum"]
    g = g + hp["weight_decay"] * x
    # torch starts the buffer as the raw gradient, without dampening.
    v = g if t == 1 else mu * state.velocity + (1 - hp["dampening"]) * g
    d = g + mu * v if hp["nesterov"] else v
    return x - hp["lr"] * d, g, MomentumState(velocity=v)


MOMENTUM_SOURCE = Source(
    init="v = 0.0  # the velocity (torch's momentum_buffer)",
    step="""g = g + weight_decay * x
# torch starts the velocity as the raw gradient, without dampening.
v = g if t == 1 else momentum * v + (1 - dampening) * g
d = g + momentum * v if nesterov else v
x_new = x - lr * d""",
)


MOMENTUM_HP = HyperParam(
    "momentum",
    r"\mu",
    0.9,
    "Momentum: the fraction of the previous velocity kept at each step.",
    lo=0.0,
    hi=0.999,
    label="momentum",
    label_zh="动量",
    help_zh="动量：每步保留上一步速度的比例。",
)


def _check_nesterov(hp):
    if hp["nesterov"] and (np.any(hp["momentum"] <= 0) or np.any(hp["dampening"] != 0)):
        raise LabError("nesterov")


def _momentum_rows(s, i, g, hp, x, lang):
    v = s["velocity"][i]
    mu = hp["momentum"]
    if i == 0:
        rows = [("v_t", rf"g_t\ (v_1 = g_1) = {num(v)}")]
    else:
        rows = [
            (
                "v_t",
                rf"\mu v_{{t-1}} + (1 - \tau) g_t = {num(mu)} \times {paren(s['velocity'][i - 1])}"
                rf" + (1 - {num(hp['dampening'])}) \times {paren(g)} = {num(v)}",
            )
        ]
    lr = hp["lr"]
    if hp["nesterov"]:
        dx = -(lr * (g + mu * v))
        d = digits_for(dx, lambda a, b, c, e: -(a * (b + c * e)), lr, g, mu, v)
        step = (
            rf"-\eta (g_t + \mu v_t) = -{num(lr, d)} \times ({num(g, d)} + {num(mu, d)}"
            rf" \times {paren(v, d)}) = {num(dx)}"
        )
    else:
        dx = -(lr * v)
        d = digits_for(dx, lambda a, b: -(a * b), lr, v)
        step = rf"-\eta v_t = -{num(lr, d)} \times {paren(v, d)} = {num(dx)}"
    return rows, step, dx


VELOCITY = StateField("velocity", "v_t", Text("velocity vₜ", "速度 vₜ"))

MOMENTUM = Optimizer(
    name="momentum",
    label="Momentum",
    label_zh="动量法",
    order=40,
    latex=r"g_t = f'(x_t) + \lambda x_t \qquad v_t = \mu v_{t-1} + (1 - \tau) g_t"
    r"\ (v_1 = g_1) \qquad x_{t+1} = x_t - \eta\, v_t"
    r"\\ \text{Nesterov: } x_{t+1} = x_t - \eta (g_t + \mu v_t)",
    hparams=(
        lr(0.3),
        MOMENTUM_HP,
        HyperParam(
            "dampening",
            r"\tau",
            0.0,
            "Dampening: scales down the new gradient's share of the velocity.",
            lo=0.0,
            hi=1.0,
            valid=Interval(0.0, 1.0),
            label="dampening",
            label_zh="阻尼",
            help_zh="阻尼：减小新梯度在速度中的占比。",
        ),
        WEIGHT_DECAY,
        HyperParam(
            "nesterov",
            r"\text{Nesterov}",
            False,
            "Nesterov: look ahead along the velocity before stepping.",
            kind="bool",
            label="Nesterov",
            label_zh="Nesterov 加速",
            help_zh="Nesterov：先沿速度方向“向前看”再更新。",
        ),
    ),
    init=_momentum_init,
    update=_momentum_update,
    source=MOMENTUM_SOURCE,
    check=_check_nesterov,
    recorded=(VELOCITY,),
    l2_decay=True,
    rows=_momentum_rows,
    color="#E69F00",
    marker="square",
    idea=Text(
        en="Keep a velocity vₜ that remembers past gradients: each step keeps the "
        "fraction μ of the old velocity and adds the new gradient. Like a ball rolling "
        "downhill, it speeds up on long slopes and can coast over small humps.",
        zh="维护一个记住过去梯度的速度 vₜ：每步保留旧速度的 μ 倍，再加上新的梯度。"
        "就像滚下山坡的小球，它在长坡上越滚越快，能凭惯性冲过小山丘。",
    ),
    failure=Text(
        en="The speed that rolls it out of a shallow dip also carries it past the "
        "minimum, so it swings back and forth before settling, and with μ or η too large "
        "it can overshoot the deep valley it was heading for. With μ = 0 it is plain "
        "gradient descent and stops in the nearest dip again.",
        zh="让它冲出浅坑的速度，也会把它带过极小点，所以它停下之前要来回摆动；μ 或 η "
        "太大时，它还可能冲过原本要去的深谷。μ = 0 时它就是普通的梯度下降，又会停在最近"
        "的小坑里。",
    ),
)
