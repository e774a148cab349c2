"""The article's RMSprop, in its order of arithmetic; never the default.

A named variant beside ``rmsprop`` (see ``momentum_article`` for why the picker does
not offer it). The article's loop, exactly as computed (float64, left to right)::

    r = 0
    for t in 1..T:
        r = rho * r + (1 - rho) * g * g         # ((1 - rho) * g) * g
        x = x - lr / (eps + sqrt(r)) * g        # (lr / (eps + sqrt(r))) * g

torch squares g first and computes ``lr * (g / (sqrt(r) + eps))`` with eps = 1e-8; the
article's eps (its δ) is 1e-6 and its decay ρ = 0.8. Recorded: the running mean of
squares and the effective learning rate, as ``rmsprop``.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from optimizers.methods.adagrad_article import ARTICLE_ORDER
from optimizers.methods.rmsprop import BETA, RMSPROP, RMSpropState
from optimizers.spec import EPS, Optimizer, Source, Text, lr


def _rmsprop_update(x, g, h, state, hp, t):
    rho = hp["beta"]
    r = rho * state.square_avg + (1 - rho) * g * g
    lr_eff = hp["lr"] / (hp["eps"] + np.sqrt(r))
    return x - lr_eff * g, g, RMSpropState(square_avg=r, lr_eff=lr_eff)


RMSPROP_ARTICLE = Optimizer(
    name="rmsprop_article",
    label="RMSprop (article, δ = 1e-6)",
    label_zh="RMSprop（文章版，δ = 1e-6）",
    latex=r"s_t = \rho s_{t-1} + (1 - \rho)\, g_t\, g_t"
    r"\qquad x_t = x_{t-1} - \frac{\eta}{\epsilon + \sqrt{s_t}}\, g_t",
    latex_note=ARTICLE_ORDER,
    hparams=(lr(1.0), replace(BETA, default=0.8), replace(EPS, default=1e-6)),
    init=RMSPROP.init,
    update=_rmsprop_update,
    source=Source(
        init="s = 0.0  # the running mean of squared gradients",
        step="s = beta * s + (1 - beta) * g * g\nx_new = x - lr / (eps + np.sqrt(s)) * g",
    ),
    recorded=RMSPROP.recorded,
    color=RMSPROP.color,
    marker=RMSPROP.marker,
    idea=Text(
        en="The article's RMSprop: the same rule as RMSprop, with the article's δ = 1e-6 and "
        "ρ = 0.8. It is computed as the article's code computes it: η/(δ + √sₜ) first, "
        "then times g.",
        zh="文章版的 RMSprop：规则与 RMSprop 相同，δ 取文章的 1e-6，ρ = 0.8。"
        "它按文章代码的顺序计算：先算 η/(δ + √sₜ)，再乘 g。",
    ),
    failure=RMSPROP.failure,
)
