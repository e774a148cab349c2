"""Prodigy, as prodigyopt 1.1.2's Prodigy (decoupled weight decay, no bias correction, no
safeguard warm-up, unbounded growth): Adam whose step scale dₜ estimates, from the run
itself, how far the start is from the solution."""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

import numpy as np

from optimizers.latex import num
from optimizers.methods.adabelief import decayed_step
from optimizers.methods.adam import ADAM, ADAM_RECORDED, ADAMW
from optimizers.spec import (
    EPS,
    LR_EFF,
    HyperParam,
    Interval,
    Optimizer,
    Source,
    StateField,
    Text,
    lr,
)


class ProdigyState(NamedTuple):
    x0: np.ndarray
    d: np.ndarray
    d_num: np.ndarray  # the numerator of d̂: Σ of d-weighted g·(x0 − x), decayed by β₃
    d_den: np.ndarray  # its denominator |sₜ|
    s: np.ndarray
    m: np.ndarray
    v: np.ndarray
    lr_eff: np.ndarray


def _prodigy_init(x, hp):
    zero = np.zeros_like(x)
    d0 = np.broadcast_to(hp["d0"], np.shape(x)) + zero
    return ProdigyState(x, d0, zero, zero, zero, zero, zero, zero)


def _prodigy_update(x, g, h, state, hp, t):
    b1, b2, d0 = hp["beta1"], hp["beta2"], hp["d0"]
    b3 = np.sqrt(b2)
    d = state.d
    dlr = d * hp["lr"]
    delta = (d / d0) * dlr * (g * (state.x0 - x))
    m = state.m * b1 + (d * (1 - b1)) * g
    v = state.v * b2 + (d * d * (1 - b2)) * g * g
    s = state.s * b3 + ((d / d0) * dlr) * g
    d_den = np.abs(s)
    d_num = state.d_num * b3 + delta
    d_hat = hp["d_coef"] * d_num / d_den
    # Where every gradient so far was 0, s is 0: prodigyopt stops before moving x or d.
    moved = d_den != 0
    d_new = np.where(moved & (d_hat > d), d_hat, d)  # d only grows
    denom = np.sqrt(v) + d_new * hp["eps"]
    x_new = x + (-hp["weight_decay"] * dlr) * x
    x_new = x_new + (-dlr * m) / denom
    new = ProdigyState(
        state.x0,
        d_new,
        np.where(moved, d_num, state.d_num),
        d_den,
        s,
        m,
        v,
        dlr / denom,
    )
    return np.where(moved, x_new, x), g, new


PRODIGY_SOURCE = Source(
    init="x0 = np.float64(X0)  # the start\nd = d0  # the step scale, estimated as the run goes\nd_num = s = m = v = 0.0",
    step="""dlr = d * lr
beta3 = np.sqrt(beta2)
m = m * beta1 + (d * (1 - beta1)) * g
v = v * beta2 + (d * d * (1 - beta2)) * g * g
s = s * beta3 + ((d / d0) * dlr) * g
if s != 0:  # prodigyopt takes no step while every gradient so far was 0
    d_num = d_num * beta3 + (d / d0) * dlr * (g * (x0 - x))
    d_hat = d_coef * d_num / abs(s)
    d = d_hat if d_hat > d else d  # d only grows
    x_new = x + (-weight_decay * dlr) * x
    x_new = x_new + (-dlr * m) / (np.sqrt(v) + d * eps)
else:
    x_new = x""",
)


def _prodigy_rows(s, i, g, hp, x, lang):
    d_prev = s["d"][i - 1] if i else float(hp["d0"])
    d, m, v = s["d"][i], s["m"][i], s["v"][i]
    d_hat = hp["d_coef"] * s["d_num"][i] / s["d_den"][i]
    rows = [
        (
            "n_t",
            r"\beta_3 n_{t-1} + \frac{d_{t-1}^2 \eta}{d_0}\, g_t (x_0 - x_{t-1}) = "
            + num(s["d_num"][i]),
        ),
        (
            "s_t",
            r"\beta_3 s_{t-1} + \frac{d_{t-1}^2 \eta}{d_0}\, g_t = " + num(s["s"][i]),
        ),
        (
            r"\hat d_t",
            rf"\frac{{n_t}}{{|s_t|}} = \frac{{{num(s['d_num'][i])}}}{{{num(s['d_den'][i])}}}"
            + (rf" \times {num(hp['d_coef'])}" if hp["d_coef"] != 1 else "")
            + f" = {num(d_hat)}",
        ),
        ("d_t", rf"\max(d_{{t-1}}, \hat d_t) = \max({num(d_prev)}, {num(d_hat)}) = {num(d)}"),
        (
            "m_t",
            rf"\beta_1 m_{{t-1}} + d_{{t-1}} (1 - \beta_1) g_t = {num(m)}",
        ),
        ("v_t", rf"\beta_2 v_{{t-1}} + d_{{t-1}}^2 (1 - \beta_2) g_t^2 = {num(v)}"),
        (
            r"\eta_{\text{eff}}",
            rf"\frac{{d_{{t-1}} \eta}}{{\sqrt{{v_t}} + d_t \epsilon}} = {num(s['lr_eff'][i])}",
        ),
    ]
    step, dx = decayed_step(
        d_prev * hp["lr"], hp["weight_decay"], x, s["lr_eff"][i], m, r"d_{t-1} \eta", "m_t"
    )
    return rows, step, dx


PRODIGY = Optimizer(
    name="prodigy",
    label="Prodigy",
    label_zh="Prodigy",
    order=88,
    latex=r"\beta_3 = \sqrt{\beta_2} \qquad n_t = \beta_3 n_{t-1} + \frac{d_{t-1}^2 \eta}{d_0}"
    r" g_t (x_0 - x_t) \\ s_t = \beta_3 s_{t-1} + \frac{d_{t-1}^2 \eta}{d_0} g_t \qquad "
    r"d_t = \max\Big(d_{t-1}, \frac{n_t}{|s_t|}\Big) \\ "
    r"m_t = \beta_1 m_{t-1} + d_{t-1} (1 - \beta_1) g_t \qquad "
    r"v_t = \beta_2 v_{t-1} + d_{t-1}^2 (1 - \beta_2) g_t^2 \\ "
    r"x_{t+1} = x_t - \lambda d_{t-1} \eta\, x_t - \frac{d_{t-1} \eta\, m_t}{\sqrt{v_t} + d_t \epsilon}",
    hparams=(
        replace(
            lr(1.0),
            help="Learning rate: a multiplier on the step scale dₜ Prodigy estimates; 1 "
            "uses the estimate as it is.",
            help_zh="学习率：乘在 Prodigy 自己估计的步长尺度 dₜ 上；取 1 即直接使用这个估计。",
        ),
        ADAM.hparam("beta1"),
        ADAM.hparam("beta2"),
        EPS,
        replace(
            ADAMW.hparam("weight_decay"),
            default=0.0,
            help="Decoupled weight decay: shrinks x by the fraction λ·dₜ·η at every step.",
            help_zh="解耦权重衰减：每步把 x 缩小 λ·dₜ·η 的比例。",
        ),
        HyperParam(
            "d0",
            "d_0",
            1e-6,
            "The first guess of the step scale; Prodigy grows it from there.",
            lo=1e-8,
            hi=1.0,
            log=True,
            valid=Interval(0.0, lo_open=True),
            label="initial step scale",
            label_zh="初始步长尺度",
            help_zh="步长尺度的初始猜测；Prodigy 从这里开始把它增大。",
        ),
        HyperParam(
            "d_coef",
            "d_c",
            1.0,
            "Multiplies each estimate of the step scale: below 1 more cautious, above 1 bolder.",
            lo=0.1,
            hi=10.0,
            log=True,
            valid=Interval(0.0, lo_open=True),
            label="step-scale factor",
            label_zh="步长尺度系数",
            help_zh="乘在每次估计的步长尺度上：小于 1 更谨慎，大于 1 更大胆。",
        ),
    ),
    init=_prodigy_init,
    update=_prodigy_update,
    source=PRODIGY_SOURCE,
    recorded=(
        StateField("d", "d_t", Text("step scale dₜ", "步长尺度 dₜ")),
        StateField("d_num", "n_t", Text("numerator nₜ", "分子 nₜ")),
        StateField("d_den", "|s_t|", Text("denominator |sₜ|", "分母 |sₜ|")),
        StateField("s", "s_t", Text("gradient sum sₜ", "梯度累积 sₜ")),
        *ADAM_RECORDED[:2],
        LR_EFF,
    ),
    rows=_prodigy_rows,
    color="#663333",
    marker="bowtie",
    idea=Text(
        en="Adam that finds its own learning rate: it keeps dₜ, an estimate of how far the "
        "solution is from the start, made from the gradients and the distance travelled "
        "(nₜ/|sₜ|), and takes Adam's step scaled by dₜ·η. Starting tiny (d₀ = 10⁻⁶), dₜ "
        "grows quickly to the scale of the problem, so η stays at 1 and the estimate does the tuning.",
        zh="自己找学习率的 Adam：它维护 dₜ，即对“解离起点有多远”的估计，由梯度和已走过的"
        "距离算出（nₜ/|sₜ|），每步走 Adam 的步子再乘以 dₜ·η。dₜ 从极小的 d₀ = 10⁻⁶ 开始，"
        "很快增长到问题本身的尺度，所以 η 保持为 1，由这个估计代替调参。",
    ),
    failure=Text(
        en="dₜ never shrinks: once a long stretch of steady slope has inflated it, the "
        "steps stay large and it can overshoot the minimum it was heading for. The first "
        "steps, taken at the tiny d₀, barely move.",
        zh="dₜ 只增不减：一段长长的稳定坡度把它抬高之后，步子就一直很大，可能冲过原本要去"
        "的极小点。最初几步用的是极小的 d₀，几乎不动。",
    ),
)
