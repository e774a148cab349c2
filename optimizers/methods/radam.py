"""RAdam, as torch.optim.RAdam (L2 weight decay): Adam whose adaptive step is scaled by a
variance rectification rₜ, and replaced by a plain momentum step while too few squared
gradients have been averaged for √v̂ₜ to be trusted."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from optimizers.common import Powers
from optimizers.latex import digits_for, first_moment_row, num, paren, words
from optimizers.methods.adam import ADAM, ADAM_RECORDED
from optimizers.spec import EPS, LR_EFF, WEIGHT_DECAY, Optimizer, Source, StateField, Text, lr


class RAdamState(NamedTuple):
    m: np.ndarray
    v: np.ndarray
    m_hat: np.ndarray
    rho: np.ndarray
    rect: np.ndarray
    lr_eff: np.ndarray
    beta1: Powers
    beta2: Powers


def _radam_init(x, hp):
    zero = np.zeros_like(x)
    return RAdamState(
        zero, zero, zero, zero, zero, zero, Powers.of(hp["beta1"]), Powers.of(hp["beta2"])
    )


def _radam_update(x, g, h, state, hp, t):
    b1, b2 = hp["beta1"], hp["beta2"]
    g = g + hp["weight_decay"] * x
    m = b1 * state.m + (1 - b1) * g
    v = b2 * state.v + (1 - b2) * (g * g)
    b2t = state.beta2.at(t)
    bc1, bc2 = 1 - state.beta1.at(t), 1 - b2t
    m_hat = m / bc1
    rho_inf = 2 / (1 - b2) - 1
    rho = rho_inf - 2 * t * b2t / bc2
    rect = np.sqrt((rho - 4) * (rho - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho))
    adaptive = np.sqrt(bc2) / (np.sqrt(v) + hp["eps"])
    trusted = rho > 5.0
    x_new = np.where(trusted, x - m_hat * hp["lr"] * adaptive * rect, x - m_hat * hp["lr"])
    lr_eff = np.where(trusted, hp["lr"] * adaptive * rect, hp["lr"])
    rect = np.where(trusted, rect, np.nan)
    return x_new, g, RAdamState(m, v, m_hat, rho, rect, lr_eff, state.beta1, state.beta2)


RADAM_SOURCE = Source(
    init="m = v = 0.0  # the running averages of g and of g squared",
    step="""g = g + weight_decay * x
m = beta1 * m + (1 - beta1) * g
v = beta2 * v + (1 - beta2) * (g * g)
bc1, bc2 = 1 - beta1**t, 1 - beta2**t
m_hat = m / bc1
rho_inf = 2 / (1 - beta2) - 1
rho = rho_inf - 2 * t * beta2**t / bc2  # how many squared gradients v averages
if rho > 5.0:  # enough to trust sqrt(v): Adam's step, rectified
    rect = np.sqrt((rho - 4) * (rho - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho))
    x_new = x - m_hat * lr * (np.sqrt(bc2) / (np.sqrt(v) + eps)) * rect
else:  # too few: a plain momentum step
    x_new = x - m_hat * lr""",
)

UNTRUSTED = Text(
    "ρₜ ≤ 5: too few squared gradients averaged, a plain momentum step",
    "ρₜ ≤ 5：平均过的梯度平方太少，走一步普通的动量步",
)


def _radam_rows(s, i, g, hp, x, lang):
    t = i + 1
    b1, b2 = hp["beta1"], hp["beta2"]
    m_prev, v_prev = (s["m"][i - 1], s["v"][i - 1]) if i else (0.0, 0.0)
    rho, m_hat, lr_eff = s["rho"][i], s["m_hat"][i], s["lr_eff"][i]
    rows = [
        first_moment_row(b1, m_prev, g, s["m"][i]),
        (
            "v_t",
            rf"\beta_2 v_{{t-1}} + (1 - \beta_2) g_t^2 = {num(b2)} \times {num(v_prev)} + "
            rf"(1 - {num(b2)}) \times {paren(g)}^2 = {num(s['v'][i])}",
        ),
        (r"\hat m_t", rf"\frac{{m_t}}{{1 - \beta_1^t}} = {num(m_hat)}"),
        (
            r"\rho_t",
            rf"\rho_\infty - \frac{{2 t \beta_2^t}}{{1 - \beta_2^t}} = "
            rf"{num(2 / (1 - float(b2)) - 1)} - \frac{{2 \times {t} \times {num(b2)}^{{{t}}}}}"
            rf"{{1 - {num(b2)}^{{{t}}}}} = {num(rho)}",
        ),
    ]
    if rho > 5.0:
        rows += [
            (
                "r_t",
                r"\sqrt{\frac{(\rho_t - 4)(\rho_t - 2)\rho_\infty}"
                rf"{{(\rho_\infty - 4)(\rho_\infty - 2)\rho_t}}}} = {num(s['rect'][i])}",
            ),
            (
                r"\eta_{\text{eff}}",
                rf"\eta\, r_t \frac{{\sqrt{{1 - \beta_2^t}}}}{{\sqrt{{v_t}} + \epsilon}} = {num(lr_eff)}",
            ),
        ]
        symbol = r"-\eta_{\text{eff}}\, \hat m_t"
    else:
        rows.append(("", words(UNTRUSTED.get(lang))))
        symbol = r"-\eta\, \hat m_t"
    dx = -(lr_eff * m_hat)
    d = digits_for(dx, lambda a, b: -(a * b), lr_eff, m_hat)
    return rows, rf"{symbol} = -{num(lr_eff, d)} \times {paren(m_hat, d)} = {num(dx)}", dx


RADAM = Optimizer(
    name="radam",
    label="RAdam",
    label_zh="RAdam",
    order=82,
    latex=r"g_t = f'(x_t) + \lambda x_t \qquad m_t = \beta_1 m_{t-1} + (1 - \beta_1) g_t \\ "
    r"v_t = \beta_2 v_{t-1} + (1 - \beta_2) g_t^2 \qquad \hat m_t = \frac{m_t}{1 - \beta_1^t}"
    r"\\ \rho_t = \rho_\infty - \frac{2 t \beta_2^t}{1 - \beta_2^t},\ "
    r"\rho_\infty = \frac{2}{1 - \beta_2} - 1 \\ "
    r"r_t = \sqrt{\frac{(\rho_t - 4)(\rho_t - 2)\rho_\infty}{(\rho_\infty - 4)(\rho_\infty - 2)\rho_t}}"
    r"\\ x_{t+1} = \begin{cases} x_t - \eta\, r_t \frac{\sqrt{1 - \beta_2^t}}{\sqrt{v_t} + "
    r"\epsilon}\, \hat m_t & \rho_t > 5 \\ x_t - \eta\, \hat m_t & \rho_t \le 5 \end{cases}",
    hparams=(lr(0.5), ADAM.hparam("beta1"), ADAM.hparam("beta2"), EPS, WEIGHT_DECAY),
    init=_radam_init,
    update=_radam_update,
    source=RADAM_SOURCE,
    recorded=(
        *ADAM_RECORDED[:3],
        StateField("rho", r"\rho_t", Text("averaged length ρₜ", "平均长度 ρₜ")),
        StateField("rect", "r_t", Text("rectification rₜ", "方差修正 rₜ")),
        LR_EFF,
    ),
    l2_decay=True,
    rows=_radam_rows,
    color="#44AA99",
    marker="triangle-right",
    idea=Text(
        en="Adam's √v̂ₜ is averaged over few gradients at first, so its early steps rest on "
        "a shaky estimate. RAdam measures how many squared gradients v has effectively "
        "averaged (ρₜ): while ρₜ ≤ 5 it takes plain momentum steps η·m̂ₜ, then Adam's step "
        "scaled by rₜ, which starts small and grows to 1: a built-in warm-up.",
        zh="Adam 的 √v̂ₜ 起初只平均了很少几个梯度，早期的步子建立在不可靠的估计上。RAdam "
        "计算 v 实际平均了多少个梯度平方（ρₜ）：ρₜ ≤ 5 时走普通的动量步 η·m̂ₜ，之后走 Adam "
        "的步子再乘以 rₜ，rₜ 从很小开始逐渐增大到 1：相当于自带预热。",
    ),
    failure=Text(
        en="The first steps are not normalised, so where the gradient is large they are "
        "long: η·m̂ₜ, not η. Once rₜ reaches 1 it behaves like Adam, circling the minimum "
        "at about η per step when η is large.",
        zh="最初几步没有归一化，所以梯度大的地方步子就长：是 η·m̂ₜ，而不是 η。rₜ 升到 1 "
        "之后，它就和 Adam 一样，η 较大时在极小点附近以约 η 的步长绕圈。",
    ),
)
