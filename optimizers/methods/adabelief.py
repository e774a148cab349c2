"""AdaBelief, as adabelief-pytorch 0.2.1's AdaBelief (decoupled weight decay, no AMSGrad):
Adam that divides by how far the gradient strays from its running average, rather than
by its size."""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

import numpy as np

from optimizers.common import Powers
from optimizers.latex import evaluated, first_moment_row, num, paren, words
from optimizers.methods.adam import ADAM, ADAM_RECORDED, ADAMW
from optimizers.spec import EPS, LR_EFF, HyperParam, Optimizer, Source, StateField, Text, lr


class AdaBeliefState(NamedTuple):
    m: np.ndarray
    belief: np.ndarray
    m_hat: np.ndarray
    lr_eff: np.ndarray
    beta1: Powers
    beta2: Powers


def _adabelief_init(x, hp):
    zero = np.zeros_like(x)
    return AdaBeliefState(zero, zero, zero, zero, Powers.of(hp["beta1"]), Powers.of(hp["beta2"]))


def _adabelief_update(x, g, h, state, hp, t):
    b1, b2, eps = hp["beta1"], hp["beta2"], hp["eps"]
    x = x * (1.0 - hp["lr"] * hp["weight_decay"])  # decoupled weight decay
    b2t = state.beta2.at(t)
    bc1, bc2 = 1 - state.beta1.at(t), 1 - b2t
    m = b1 * state.m + (1 - b1) * g
    residual = g - m
    s = b2 * state.belief + (1 - b2) * (residual * residual) + eps
    if hp["rectify"]:  # RAdam's rectification, as the package applies it
        n_max = 2 / (1 - b2) - 1
        n = n_max - 2 * t * b2t / (1 - b2t)
        rect = np.sqrt((1 - b2t) * (n - 4) / (n_max - 4) * (n - 2) / n * n_max / (n_max - 2))
        trusted = n >= 5
        step_size = np.where(trusted, rect / bc1, 1.0 / bc1)
        denom = np.sqrt(s) + eps
        adaptive = x + (-step_size * hp["lr"] * m) / denom
        x_new = np.where(trusted, adaptive, x + (-step_size * hp["lr"]) * m)
        lr_eff = np.where(trusted, rect * hp["lr"] / denom, hp["lr"])
    else:
        denom = np.sqrt(s) / np.sqrt(bc2) + eps
        x_new = x + (-(hp["lr"] / bc1) * m) / denom
        lr_eff = hp["lr"] / denom
    new = AdaBeliefState(m, s, m / bc1, lr_eff, state.beta1, state.beta2)
    return x_new, g, new


ADABELIEF_SOURCE = Source(
    init="m = s = 0.0  # the running average of g, and of (g - m) squared",
    step="""x_new = x * (1.0 - lr * weight_decay)  # decoupled weight decay
bc1, bc2 = 1 - beta1**t, 1 - beta2**t
m = beta1 * m + (1 - beta1) * g
residual = g - m
s = beta2 * s + (1 - beta2) * (residual * residual) + eps
if rectify:
    n_max = 2 / (1 - beta2) - 1
    n = n_max - 2 * t * beta2**t / (1 - beta2**t)
    if n >= 5:  # enough squared residuals averaged: Adam's step, rectified
        rect = np.sqrt((1 - beta2**t) * (n - 4) / (n_max - 4) * (n - 2) / n * n_max / (n_max - 2))
        x_new = x_new + (-(rect / bc1) * lr * m) / (np.sqrt(s) + eps)
    else:  # too few: a plain momentum step
        x_new = x_new + (-(1.0 / bc1) * lr) * m
else:
    x_new = x_new + (-(lr / bc1) * m) / (np.sqrt(s) / np.sqrt(bc2) + eps)""",
)


def decayed_step(lr, wd, x, lr_eff, m_hat, rate=r"\eta", moment=r"\hat m_t"):
    """Δx_t of an Adam-like step -η_eff·m̂_t after decoupled weight decay (shown only
    when λ ≠ 0), and its value; ``rate`` and ``moment`` are how the rule writes η and
    m̂_t."""
    if not wd:
        return evaluated(
            rf"-\eta_{{\text{{eff}}}}\, {moment}",
            lambda d: rf"-{num(lr_eff, d)} \times {paren(m_hat, d)}",
            lambda e, m: -(e * m),
            lr_eff,
            m_hat,
        )
    return evaluated(
        rf"-{rate} \lambda x_{{t-1}} - \eta_{{\text{{eff}}}}\, {moment}",
        lambda d: (
            rf"-{num(lr, d)} \times {num(wd, d)} \times {paren(x, d)} - {num(lr_eff, d)}"
            rf" \times {paren(m_hat, d)}"
        ),
        lambda lr, wd, x, e, m: -lr * wd * x - e * m,
        lr,
        wd,
        x,
        lr_eff,
        m_hat,
    )


UNTRUSTED = Text(
    "too few residuals averaged: a plain momentum step η·m̂ₜ",
    "平均过的残差太少：走一步普通的动量步 η·m̂ₜ",
)


def _adabelief_rows(s, i, g, hp, x, lang):
    t = i + 1
    b1, b2 = hp["beta1"], hp["beta2"]
    m_prev, s_prev = (s["m"][i - 1], s["belief"][i - 1]) if i else (0.0, 0.0)
    m, m_hat, lr_eff = s["m"][i], s["m_hat"][i], s["lr_eff"][i]
    rows = [
        first_moment_row(b1, m_prev, g, m),
        (
            "s_t",
            rf"\beta_2 s_{{t-1}} + (1 - \beta_2)(g_t - m_t)^2 + \epsilon = {num(b2)} \times "
            rf"{num(s_prev)} + (1 - {num(b2)}) \times {paren(g - m)}^2 + {num(hp['eps'])}"
            rf" = {num(s['belief'][i])}",
        ),
        (r"\hat m_t", rf"\frac{{m_t}}{{1 - \beta_1^t}} = {num(m_hat)}"),
    ]
    if not hp["rectify"]:
        rows.append(
            (
                r"\eta_{\text{eff}}",
                rf"\frac{{\eta}}{{\sqrt{{\hat s_t}} + \epsilon}} = {num(lr_eff)}",
            )
        )
    elif 2 / (1 - float(b2)) - 1 - 2 * t * float(b2) ** t / (1 - float(b2) ** t) >= 5:
        rows.append(
            (
                r"\eta_{\text{eff}}",
                rf"\frac{{\eta\, r_t}}{{\sqrt{{s_t}} + \epsilon}} = {num(lr_eff)}",
            )
        )
    else:
        rows.append(("", words(UNTRUSTED.get(lang))))
    step, dx = decayed_step(hp["lr"], hp["weight_decay"], x, lr_eff, m_hat)
    return rows, step, dx


ADABELIEF = Optimizer(
    name="adabelief",
    label="AdaBelief",
    label_zh="AdaBelief",
    order=84,
    latex=r"m_t = \beta_1 m_{t-1} + (1 - \beta_1) g_t \qquad "
    r"s_t = \beta_2 s_{t-1} + (1 - \beta_2)(g_t - m_t)^2 + \epsilon \qquad "
    r"\hat m_t = \frac{m_t}{1 - \beta_1^t} \\ "
    r"x_{t+1} = x_t (1 - \eta\lambda) - \frac{\eta\, r_t\, \hat m_t}{\sqrt{s_t} + \epsilon}"
    r"\\ x_{t+1} = x_t (1 - \eta\lambda) - "
    r"\frac{\eta\, \hat m_t}{\sqrt{s_t / (1 - \beta_2^t)} + \epsilon}",
    latex_note=Text(
        "upper: rectify on (the default); lower: off", "上：开启方差修正（默认）；下：关闭"
    ),
    hparams=(
        lr(0.5),
        ADAM.hparam("beta1"),
        ADAM.hparam("beta2"),
        replace(EPS, default=1e-16, lo=1e-20),
        replace(ADAMW.hparam("weight_decay"), default=0.0),
        HyperParam(
            "rectify",
            r"\text{rectify}",
            True,
            "Rectify as RAdam does: plain momentum steps until enough residuals are "
            "averaged, then the adaptive step scaled by rₜ.",
            kind="bool",
            label="rectify",
            label_zh="方差修正",
            help_zh="像 RAdam 一样修正：先走普通的动量步，直到平均过足够多的残差，"
            "之后的自适应步再乘以 rₜ。",
        ),
    ),
    init=_adabelief_init,
    update=_adabelief_update,
    source=ADABELIEF_SOURCE,
    recorded=(
        ADAM_RECORDED[0],
        StateField("belief", "s_t", Text("belief sₜ", "置信度 sₜ")),
        ADAM_RECORDED[2],
        LR_EFF,
    ),
    rows=_adabelief_rows,
    color="#CC6677",
    marker="hexagram",
    idea=Text(
        en="Adam divides by the root of the average of g²; AdaBelief divides by the root of "
        "sₜ, the average of (gₜ − mₜ)²: how far the gradient strays from what the momentum "
        "predicted. Where the slope is steady, even steep, sₜ is small and the step is "
        "large; where the gradient keeps changing, it steps carefully.",
        zh="Adam 除以 g² 平均值的平方根；AdaBelief 除以 sₜ 的平方根，sₜ 是 (gₜ − mₜ)² 的"
        "平均值，衡量梯度偏离动量预测的程度。坡度稳定时，即使很陡，sₜ 也很小，步子就大；"
        "梯度不断变化时，它就小心地走。",
    ),
    failure=Text(
        en="A steady slope makes sₜ tiny, so the steps grow far beyond η: where the slope "
        "stays the same for long, it can shoot across the landscape. With rectification "
        "on (the default), the first steps are plain momentum steps, as in RAdam.",
        zh="坡度稳定时 sₜ 很小，步子会远远超过 η：在坡度长期不变的地方，它可能一下子冲过"
        "大片地形。开启方差修正（默认）时，最初几步和 RAdam 一样是普通的动量步。",
    ),
)
