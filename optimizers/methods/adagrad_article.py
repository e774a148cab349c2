"""The article's AdaGrad, in its order of arithmetic; never the default.

A named variant beside ``adagrad`` (see ``momentum_article`` for why the picker does
not offer it). The article's loop, exactly as computed (float64, left to right)::

    r = 0
    for t in 1..T:
        r = r + g * g
        x = x - lr / (eps + sqrt(r)) * g        # (lr / (eps + sqrt(r))) * g

torch computes ``lr * (g / (sqrt(r) + eps))`` with eps = 1e-10; the article divides lr
first and its eps (its δ) is 1e-7. The two are equal in exact arithmetic up to eps,
but round differently, and on the article's landscape that moves where large steps
land. Recorded: the sum of squares and the effective learning rate, as ``adagrad``.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from optimizers.methods.adagrad import ADAGRAD, AdagradState
from optimizers.spec import EPS, Optimizer, Source, Text, lr

# Where the article divides: η over the denominator first, then times g (RMSprop too).
ARTICLE_ORDER = Text(
    "(the article's order: η divided first, then times g)",
    "（文章的运算顺序：先算 η 除以分母，再乘 g）",
)


def _adagrad_update(x, g, h, state, hp, t):
    r = state.sum + g * g
    lr_eff = hp["lr"] / (hp["eps"] + np.sqrt(r))
    return x - lr_eff * g, g, AdagradState(sum=r, lr_eff=lr_eff)


ADAGRAD_ARTICLE = Optimizer(
    name="adagrad_article",
    label="AdaGrad (article, δ = 1e-7)",
    label_zh="AdaGrad（文章版，δ = 1e-7）",
    latex=r"G_t = G_{t-1} + g_t^2 \qquad x_t = x_{t-1} - \frac{\eta}{\epsilon + \sqrt{G_t}}\, g_t",
    latex_note=ARTICLE_ORDER,
    hparams=(lr(1.0), replace(EPS, default=1e-7)),
    init=ADAGRAD.init,
    update=_adagrad_update,
    source=Source(
        init="G = 0.0  # the sum of squared gradients",
        step="G = G + g * g\nx_new = x - lr / (eps + np.sqrt(G)) * g",
    ),
    recorded=ADAGRAD.recorded,
    color=ADAGRAD.color,
    marker=ADAGRAD.marker,
    idea=Text(
        en="The article's AdaGrad: the same rule as AdaGrad, with the article's δ = 1e-7. "
        "It is computed as the article's code computes it: η/(δ + √Gₜ) first, then times g.",
        zh="文章版的 AdaGrad：规则与 AdaGrad 相同，δ 取文章的 1e-7。"
        "它按文章代码的顺序计算：先算 η/(δ + √Gₜ)，再乘 g。",
    ),
    failure=ADAGRAD.failure,
)
