"""AdaGrad, as torch.optim.Adagrad: each step divided by the root of all squared
gradients so far."""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

import numpy as np

from optimizers.latex import digits_for, num, paren
from optimizers.spec import EPS, LR_EFF, WEIGHT_DECAY, Optimizer, Source, StateField, Text, lr


class AdagradState(NamedTuple):
    sum: np.ndarray  # accumulated squared gradients
    lr_eff: np.ndarray


def _adagrad_init(x, hp):
    zero = np.zeros_like(x)
    return AdagradState(sum=zero, lr_eff=zero)


def _adagrad_update(x, g, h, state, hp, t):
    g = g + hp["weight_decay"] * x
    s = state.sum + g * g
    denom = np.sqrt(s) + hp["eps"]
    return x - hp["lr"] * (g / denom), g, AdagradState(sum=s, lr_eff=hp["lr"] / denom)


ADAGRAD_SOURCE = Source(
    init="G = 0.0  # the sum of squared gradients",
    step="""g = g + weight_decay * x
G = G + g * g
x_new = x - lr * (g / (np.sqrt(G) + eps))""",
)


def scaled_rows(key, sym, rule, s, i, g, hp):
    """The squares' accumulator ``sym``_t (state field ``key``) by ``rule``, then the
    effective learning rate and the step it scales: AdaGrad's and RMSprop's rows."""
    rows = [
        (f"{sym}_t", f"{rule} = {num(s[key][i])}"),
        (
            r"\eta_{\text{eff}}",
            rf"\frac{{\eta}}{{\sqrt{{{sym}_t}} + \epsilon}} = \frac{{{num(hp['lr'])}}}"
            rf"{{\sqrt{{{num(s[key][i])}}} + {num(hp['eps'])}}} = {num(s['lr_eff'][i])}",
        ),
    ]
    lr_eff = s["lr_eff"][i]
    dx = -(lr_eff * g)
    d = digits_for(dx, lambda a, b: -(a * b), lr_eff, g)
    step = rf"-\eta_{{\text{{eff}}}}\, g_t = -{num(lr_eff, d)} \times {paren(g, d)} = {num(dx)}"
    return rows, step, dx


def _adagrad_rows(s, i, g, hp, x, lang):
    prev = s["sum"][i - 1] if i else 0.0
    rule = rf"G_{{t-1}} + g_t^2 = {num(prev)} + {paren(g)}^2"
    return scaled_rows("sum", "G", rule, s, i, g, hp)


ADAGRAD = Optimizer(
    name="adagrad",
    label="AdaGrad",
    label_zh="AdaGrad",
    order=50,
    latex=r"g_t = f'(x_t) + \lambda x_t \qquad G_t = G_{t-1} + g_t^2"
    r"\qquad x_{t+1} = x_t - \frac{\eta}{\sqrt{G_t} + \epsilon}\, g_t",
    hparams=(lr(1.0), replace(EPS, default=1e-10), WEIGHT_DECAY),
    init=_adagrad_init,
    update=_adagrad_update,
    source=ADAGRAD_SOURCE,
    recorded=(StateField("sum", "G_t", Text("accumulated squares Gₜ", "梯度平方累积 Gₜ")), LR_EFF),
    l2_decay=True,
    rows=_adagrad_rows,
    color="#999933",
    marker="pentagon",
    idea=Text(
        en="Give each step its own learning rate η/√Gₜ, where Gₜ adds up every squared "
        "gradient seen so far. Large past gradients make for cautious steps, which suits "
        "problems whose large gradients are rare.",
        zh="给每一步单独的学习率 η/√Gₜ，其中 Gₜ 累加迄今为止所有梯度的平方。过去的梯度"
        "越大，步子就越谨慎，适合大梯度很少出现的问题。",
    ),
    failure=Text(
        en="Gₜ only grows, so the steps only shrink: one steep stretch, such as a cliff, "
        "cuts the effective learning rate for good, and the run slows to a crawl long "
        "before it reaches the minimum. It stalls where RMSprop, which forgets old "
        "gradients, keeps going.",
        zh="Gₜ 只增不减，所以步长只会越来越小：一段陡坡（比如悬崖）就会永久压低有效学习"
        "率，轨迹远没到极小值就慢得像在爬。RMSprop 会遗忘旧的梯度，能继续前进；AdaGrad 却"
        "停滞不前。",
    ),
)
