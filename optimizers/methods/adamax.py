"""Adamax, as torch.optim.Adamax: Adam with the root of the mean square replaced by a
decaying maximum of |g|."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from optimizers.common import Powers
from optimizers.latex import digits_for, first_moment_row, num, paren
from optimizers.methods.adam import ADAM, ADAM_RECORDED
from optimizers.spec import EPS, LR_EFF, WEIGHT_DECAY, Optimizer, Source, StateField, Text, lr


class AdamaxState(NamedTuple):
    m: np.ndarray
    u: np.ndarray
    m_hat: np.ndarray
    lr_eff: np.ndarray
    beta1: Powers


def _adamax_init(x, hp):
    zero = np.zeros_like(x)
    return AdamaxState(zero, zero, zero, zero, Powers.of(hp["beta1"]))


def _adamax_update(x, g, h, state, hp, t):
    b1 = hp["beta1"]
    g = g + hp["weight_decay"] * x
    m = b1 * state.m + (1 - b1) * g
    u = np.maximum(hp["beta2"] * state.u, np.abs(g) + hp["eps"])
    bc1 = 1 - state.beta1.at(t)
    clr = hp["lr"] / bc1
    new = AdamaxState(m, u, m / bc1, hp["lr"] / u, state.beta1)
    return x + (-clr * m) / u, g, new


ADAMAX_SOURCE = Source(
    init="m = u = 0.0  # the running average of g, and the decaying maximum of |g|",
    step="""g = g + weight_decay * x
m = beta1 * m + (1 - beta1) * g
u = max(beta2 * u, abs(g) + eps)
x_new = x + (-(lr / (1 - beta1**t)) * m) / u""",
)


def _adamax_rows(s, i, g, hp, x, lang):
    t = i + 1
    b1, b2 = hp["beta1"], hp["beta2"]
    m_prev, u_prev = (s["m"][i - 1], s["u"][i - 1]) if i else (0.0, 0.0)
    m_hat, lr_eff = s["m_hat"][i], s["lr_eff"][i]
    rows = [
        first_moment_row(b1, m_prev, g, s["m"][i]),
        (
            "u_t",
            rf"\max(\beta_2 u_{{t-1}},\ |g_t| + \epsilon) = \max({num(b2)} \times {num(u_prev)},\ "
            rf"|{num(g)}| + {num(hp['eps'])}) = {num(s['u'][i])}",
        ),
        (
            r"\hat m_t",
            rf"\frac{{m_t}}{{1 - \beta_1^t}} = \frac{{{num(s['m'][i])}}}{{1 - {num(b1)}^{{{t}}}}}"
            rf" = {num(m_hat)}",
        ),
        (r"\eta_{\text{eff}}", rf"\frac{{\eta}}{{u_t}} = {num(lr_eff)}"),
    ]
    dx = -(lr_eff * m_hat)
    d = digits_for(dx, lambda a, b: -(a * b), lr_eff, m_hat)
    step = (
        rf"-\eta_{{\text{{eff}}}}\, \hat m_t = -{num(lr_eff, d)} \times {paren(m_hat, d)}"
        rf" = {num(dx)}"
    )
    return rows, step, dx


ADAMAX = Optimizer(
    name="adamax",
    label="Adamax",
    label_zh="Adamax",
    order=83,
    latex=r"g_t = f'(x_t) + \lambda x_t \qquad m_t = \beta_1 m_{t-1} + (1 - \beta_1) g_t \\ "
    r"u_t = \max(\beta_2 u_{t-1},\ |g_t| + \epsilon) \qquad "
    r"x_{t+1} = x_t - \frac{\eta}{1 - \beta_1^t} \frac{m_t}{u_t}",
    hparams=(lr(0.5), ADAM.hparam("beta1"), ADAM.hparam("beta2"), EPS, WEIGHT_DECAY),
    init=_adamax_init,
    update=_adamax_update,
    source=ADAMAX_SOURCE,
    recorded=(
        ADAM_RECORDED[0],
        StateField("u", "u_t", Text("decaying maximum uₜ", "衰减最大值 uₜ")),
        ADAM_RECORDED[2],
        LR_EFF,
    ),
    l2_decay=True,
    rows=_adamax_rows,
    color="#DDCC77",
    marker="cross",
    idea=Text(
        en="Adam divides by the root of an average of g²; Adamax divides by uₜ, the largest "
        "|g| seen lately, each old maximum shrinking by β₂ per step. One large gradient sets "
        "the scale for a while, and no bias correction is needed for uₜ.",
        zh="Adam 除以 g² 平均值的平方根；Adamax 则除以 uₜ，即最近见过的最大 |g|，旧的最大值"
        "每步乘以 β₂ 而衰减。一个大梯度会在一段时间内决定步长的尺度，uₜ 也不需要偏差修正。",
    ),
    failure=Text(
        en="After one steep stretch uₜ stays large, so the steps that follow on gentle "
        "slopes are short until it decays (by β₂ = 0.999 it halves only every 693 steps). "
        "Under a steady gradient the steps are about η long, so a large η still circles the "
        "minimum.",
        zh="经过一段陡坡后 uₜ 一直很大，之后在缓坡上的步子都很短，直到它衰减下来（β₂ = "
        "0.999 时每 693 步才减半）。梯度稳定时步长约为 η，所以 η 较大时仍会绕着极小点"
        "打转。",
    ),
)
