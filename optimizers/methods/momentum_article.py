"""The article's momentum, reproduced with its quirk; never the default.

The article's variants (this one, ``adagrad_article``, ``rmsprop_article`` and
``adam_article``) compute exactly what the article's code computes, in its order of
arithmetic (the code printed at the end of the article). They
are named variants beside the torch-exact optimizers (``optimizers.get`` finds them,
``optimizers.run`` runs them vectorised with divergence recorded) and have no picker
``order``, so they are deliberately absent from ``optimizers.OPTIMIZERS``, the page's
picker. The article's loop, exactly as computed (``g = f'(x_{t-1})``, float64, left to
right as written):

``momentum_article`` (lr, momentum, v0)::

    v = v0
    for t in 1..T:
        v = momentum * v - lr * g
        x = x + v

  The velocity is in x units (lr is inside it) and starts at v0 = 1, not at 0 and not
  at the first gradient as torch's buffer does: the first step moves x by
  momentum * v0 - lr * g_1, a push of about momentum to the right that no gradient
  asked for. With momentum = 0 this is gradient descent, bit for bit; with v0 = 0 it
  is torch's momentum (v_t = -lr * buffer_t) up to rounding. Recorded: velocity.
  Drawn in momentum's colour and marker.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import NamedTuple

import numpy as np

from optimizers.methods.momentum import MOMENTUM, MOMENTUM_HP, VELOCITY
from optimizers.spec import UNIT_OPEN, HyperParam, Interval, Optimizer, Source, Text, lr


class MomentumArticleState(NamedTuple):
    velocity: np.ndarray


def _momentum_init(x, hp):
    return MomentumArticleState(velocity=np.zeros_like(x) + hp["v0"])


def _momentum_update(x, g, h, state, hp, t):
    v = hp["momentum"] * state.velocity - hp["lr"] * g
    return x + v, g, MomentumArticleState(velocity=v)


MOMENTUM_ARTICLE = Optimizer(
    name="momentum_article",
    label="Momentum (article, v₀ = 1)",
    label_zh="动量法（文章版，v₀ = 1）",
    latex=r"v_t = \mu v_{t-1} - \eta\, f'(x_{t-1}) \qquad x_t = x_{t-1} + v_t"
    r"\qquad v_0 = 1",
    hparams=(
        lr(0.002),
        replace(MOMENTUM_HP, valid=UNIT_OPEN),
        HyperParam(
            "v0",
            r"v_0",
            1.0,
            "Starting velocity, in units of x: the article starts at v₀ = 1, so the first "
            "steps drift right before any gradient has a say.",
            lo=-10.0,
            hi=10.0,
            valid=Interval(-math.inf),
            label="starting velocity",
            label_zh="初始速度",
            help_zh="初始速度，以 x 为单位：文章从 v₀ = 1 出发，所以在任何梯度起作用之前，"
            "最初几步会先向右漂移。",
        ),
    ),
    init=_momentum_init,
    update=_momentum_update,
    source=Source(init="v = v0", step="v = momentum * v - lr * g\nx_new = x + v"),
    recorded=(VELOCITY,),
    color=MOMENTUM.color,
    marker=MOMENTUM.marker,
    idea=Text(
        en="The article's momentum: the velocity vₜ = μvₜ₋₁ − ηf′ is measured in units of x "
        "and is added to x directly. It starts at v₀ = 1, not at zero and not at the first "
        "gradient as torch's buffer does.",
        zh="文章版的动量法：速度 vₜ = μvₜ₋₁ − ηf′ 以 x 为单位，直接加到 x 上。它从 v₀ = 1 "
        "出发，既不是从零开始，也不像 torch 的缓冲区那样从第一个梯度开始。",
    ),
    failure=Text(
        en="The starting velocity pushes the first steps about μ to the right before any "
        "gradient has a say, so where a run ends depends on that push as much as on the "
        "landscape. With μ = 0 it is gradient descent, and with v₀ = 0 it is torch's "
        "momentum up to rounding.",
        zh="初始速度让最初几步在任何梯度起作用之前先向右推进约 μ，所以轨迹停在哪里，既取决于"
        "地形，也取决于这一推。μ = 0 时它就是梯度下降；v₀ = 0 时，除舍入误差外它与 torch "
        "的动量法相同。",
    ),
)
