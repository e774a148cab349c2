"""NAdam, as torch.optim.NAdam (L2 weight decay): Adam whose momentum looks one step
ahead, with Dozat's warming momentum schedule μₜ."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from optimizers.common import Powers
from optimizers.latex import digits_for, first_moment_row, num, paren
from optimizers.methods.adam import ADAM, ADAM_RECORDED
from optimizers.spec import (
    EPS,
    LR_EFF,
    WEIGHT_DECAY,
    HyperParam,
    Optimizer,
    Source,
    StateField,
    Text,
    lr,
)


class Decays(NamedTuple):
    """0.96 ** (t ψ) as Python's float power computes it (what torch uses), one power per
    distinct ψ: NumPy's vectorised power can differ in the last bit."""

    psis: list[float]
    inverse: np.ndarray | None  # None: one scalar ψ

    @classmethod
    def of(cls, psi) -> Decays:
        if np.ndim(psi) == 0:
            return cls([float(psi)], None)
        psis, inverse = np.unique(psi, return_inverse=True)
        return cls(psis.tolist(), inverse)

    def at(self, t: int):
        if self.inverse is None:
            return 0.96 ** (t * self.psis[0])
        return np.array([0.96 ** (t * p) for p in self.psis])[self.inverse]


class NAdamState(NamedTuple):
    m: np.ndarray
    v: np.ndarray
    mu_t: np.ndarray
    mu_product: np.ndarray
    lr_eff: np.ndarray
    beta2: Powers
    decay: Decays


def _nadam_init(x, hp):
    zero = np.zeros_like(x)
    one = np.ones_like(x)
    return NAdamState(
        zero, zero, zero, one, zero, Powers.of(hp["beta2"]), Decays.of(hp["momentum_decay"])
    )


def _nadam_update(x, g, h, state, hp, t):
    b1, b2 = hp["beta1"], hp["beta2"]
    g = g + hp["weight_decay"] * x
    bc2 = 1 - state.beta2.at(t)
    mu = b1 * (1.0 - 0.5 * state.decay.at(t))
    mu_next = b1 * (1.0 - 0.5 * state.decay.at(t + 1))
    mu_product = state.mu_product * mu
    m = b1 * state.m + (1 - b1) * g
    v = b2 * state.v + (1 - b2) * (g * g)
    denom = np.sqrt(v / bc2) + hp["eps"]
    mu_product_next = mu_product * mu_next
    x_new = x + (-hp["lr"] * (1.0 - mu) / (1.0 - mu_product)) * g / denom
    x_new = x_new + (-hp["lr"] * mu_next / (1.0 - mu_product_next)) * m / denom
    new = NAdamState(m, v, mu, mu_product, hp["lr"] / denom, state.beta2, state.decay)
    return x_new, g, new


NADAM_SOURCE = Source(
    init="m = v = 0.0  # the running averages of g and of g squared\n"
    "mu_product = 1.0  # the product of the momentum coefficients so far",
    step="""g = g + weight_decay * x
bc2 = 1 - beta2**t
mu = beta1 * (1.0 - 0.5 * 0.96 ** (t * momentum_decay))
mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((t + 1) * momentum_decay))
mu_product = mu_product * mu
m = beta1 * m + (1 - beta1) * g
v = beta2 * v + (1 - beta2) * (g * g)
denom = np.sqrt(v / bc2) + eps
x_new = x + (-lr * (1.0 - mu) / (1.0 - mu_product)) * g / denom
x_new = x_new + (-lr * mu_next / (1.0 - mu_product * mu_next)) * m / denom""",
)


def _nadam_rows(s, i, g, hp, x, lang):
    t = i + 1
    b1, b2 = hp["beta1"], hp["beta2"]
    m_prev, v_prev = (s["m"][i - 1], s["v"][i - 1]) if i else (0.0, 0.0)
    mu, prod = s["mu_t"][i], s["mu_product"][i]
    mu_next = float(b1) * (1.0 - 0.5 * 0.96 ** ((t + 1) * float(hp["momentum_decay"])))
    rows = [
        (
            r"\mu_t",
            rf"\beta_1 (1 - \tfrac12 \cdot 0.96^{{t \psi}}) = {num(b1)} \times (1 - \tfrac12 "
            rf"\cdot 0.96^{{{t} \times {num(hp['momentum_decay'])}}}) = {num(mu)}",
        ),
        (r"\textstyle\prod_{i \le t} \mu_i", num(prod)),
        first_moment_row(b1, m_prev, g, s["m"][i]),
        (
            "v_t",
            rf"\beta_2 v_{{t-1}} + (1 - \beta_2) g_t^2 = {num(b2)} \times {num(v_prev)} + "
            rf"(1 - {num(b2)}) \times {paren(g)}^2 = {num(s['v'][i])}",
        ),
        (
            r"\eta_{\text{eff}}",
            rf"\frac{{\eta}}{{\sqrt{{v_t / (1 - \beta_2^t)}} + \epsilon}} = {num(s['lr_eff'][i])}",
        ),
    ]
    ops = (s["lr_eff"][i], mu, prod, g, mu_next, s["m"][i])

    def rule(e, mu, prod, g, mu_next, m):
        return -e * (1 - mu) / (1 - prod) * g - e * mu_next / (1 - prod * mu_next) * m

    dx = rule(*ops)
    d = digits_for(dx, rule, *ops)
    e, mu, prod, g, mu_next, m = (num(o, d) for o in ops)
    step = (
        r"-\eta_{\text{eff}} \Big(\frac{1 - \mu_t}{1 - \prod_{i \le t} \mu_i} g_t + "
        r"\frac{\mu_{t+1}}{1 - \prod_{i \le t+1} \mu_i} m_t\Big) = "
        rf"-{e} \times \Big(\frac{{1 - {mu}}}{{1 - {prod}}} \times {paren(g, d)} + "
        rf"\frac{{{mu_next}}}{{1 - {prod} \times {mu_next}}} \times {paren(m, d)}\Big) = {num(dx)}"
    )
    return rows, step, dx


MOMENTUM_DECAY = HyperParam(
    "momentum_decay",
    r"\psi",
    0.004,
    "How fast the momentum coefficient μₜ warms up from β₁/2 to β₁ (torch's momentum_decay).",
    lo=0.0,
    hi=0.1,
    label="momentum warm-up",
    label_zh="动量预热速度",
    help_zh="动量系数 μₜ 从 β₁/2 升到 β₁ 的快慢。",
)

NADAM = Optimizer(
    name="nadam",
    label="NAdam",
    label_zh="NAdam",
    order=81,
    latex=r"g_t = f'(x_t) + \lambda x_t \qquad \mu_t = \beta_1 (1 - \tfrac12 \cdot 0.96^{t\psi})"
    r"\\ m_t = \beta_1 m_{t-1} + (1 - \beta_1) g_t \qquad "
    r"v_t = \beta_2 v_{t-1} + (1 - \beta_2) g_t^2 \\ "
    r"x_{t+1} = x_t - \frac{\eta}{\sqrt{v_t / (1 - \beta_2^t)} + \epsilon}"
    r"\Big(\frac{1 - \mu_t}{1 - \prod_{i \le t} \mu_i} g_t + "
    r"\frac{\mu_{t+1}}{1 - \prod_{i \le t+1} \mu_i} m_t\Big)",
    hparams=(
        lr(0.5),
        ADAM.hparam("beta1"),
        ADAM.hparam("beta2"),
        EPS,
        WEIGHT_DECAY,
        MOMENTUM_DECAY,
    ),
    init=_nadam_init,
    update=_nadam_update,
    source=NADAM_SOURCE,
    recorded=(
        *ADAM_RECORDED[:2],
        StateField("mu_t", r"\mu_t", Text("momentum coefficient μₜ", "动量系数 μₜ")),
        StateField(
            "mu_product", r"\prod_{i \le t} \mu_i", Text("product of μ so far", "μ 的累积乘积")
        ),
        LR_EFF,
    ),
    l2_decay=True,
    rows=_nadam_rows,
    color="#AA4499",
    marker="star-triangle-up",
    idea=Text(
        en="Adam with Nesterov's look-ahead: the step mixes the fresh gradient with the "
        "momentum mₜ it is about to apply next, instead of the momentum alone, so it reacts "
        "a step sooner when the slope turns. Its momentum coefficient μₜ starts at β₁/2 and "
        "warms up towards β₁.",
        zh="带 Nesterov“前瞻”的 Adam：每一步把新梯度与下一步要用的动量 mₜ 混合起来，而"
        "不是只用动量，所以坡度转向时它早一步反应。它的动量系数 μₜ 从 β₁/2 起步，逐渐"
        "升到 β₁。",
    ),
    failure=Text(
        en="It keeps Adam's normalised step: near the minimum the steps stay about η long, "
        "so a large η leaves it circling. The look-ahead only shortens the overshoot, it "
        "does not remove it.",
        zh="它保留了 Adam 的归一化步长：在极小点附近步长仍约为 η，η 较大时会一直绕圈。"
        "前瞻只能缩短冲过头的距离，并不能消除它。",
    ),
)
