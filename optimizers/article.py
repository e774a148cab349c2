"""The article's own variants, reproduced with their quirks; never the defaults.

The article's published code is not available, so these loops are written from its
description and its figures. They are named variants beside the ten torch-exact
optimizers (``optimizers.get`` finds them, ``optimizers.run`` runs them vectorised with
divergence recorded) and are deliberately absent from ``optimizers.OPTIMIZERS``, the
page's picker. The assumed loops, exactly as computed (``g = f'(x_{t-1})``, float64,
left to right as written):

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

``adam_article`` (lr, beta1, beta2, eps)::

    m = v = 0
    for t in 1..T:
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * (g * g)
        m = m / (1 - beta1 ** t)        # written back into the state ...
        v = v / (1 - beta2 ** t)        # ... so the next step corrects it again
        x = x - lr * m / (sqrt(v) + eps)     # (lr * m) / (sqrt(v) + eps)

  Correct Adam keeps m and v uncorrected and divides only the copies it steps with.
  Here the correction compounds: after t steps an early gradient has been divided by
  (1 - beta^1)(1 - beta^2)...(1 - beta^t). At t = 1 both agree (m_1, v_1 are Adam's
  m-hat_1, v-hat_1 exactly). With beta1 = beta2 = 0.9 (the article's sweep, from
  x0 = -20) the inflated history makes the steps grow to 50-60 lr around step 20 and
  the runs fly out to x ~ 750-2900. With beta2 = 0.999 v grows about
  beta2 / (1 - beta2^t) ~ 1000 / t -fold per step: for lr = 2 the steps fall below
  1e-6 lr by step 9, x last changes at step 19 and v is inf from step 328
  (``viz.gallery.adam_comparison`` measures this). ``beta ** t`` is Python's float
  power through ``first_order.Powers``, as Adam's, so a run gives the same digits alone
  and in a batch. Recorded: m and v (the written-back, corrected moments).
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import NamedTuple

import numpy as np

from optimizers.first_order import ADAM_HPARAMS, MOMENTUM_HP, Powers
from optimizers.spec import UNIT_OPEN, HyperParam, Interval, Optimizer, lr


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
        ),
    ),
    init=_momentum_init,
    update=_momentum_update,
    state_labels=(("velocity", "v_t"),),
)


class AdamArticleState(NamedTuple):
    m: np.ndarray  # bias-corrected, written back
    v: np.ndarray
    beta1: Powers
    beta2: Powers


def _adam_init(x, hp):
    zero = np.zeros_like(x)
    return AdamArticleState(zero, zero, Powers.of(hp["beta1"]), Powers.of(hp["beta2"]))


def _adam_update(x, g, h, state, hp, t):
    b1, b2 = hp["beta1"], hp["beta2"]
    m = b1 * state.m + (1 - b1) * g
    v = b2 * state.v + (1 - b2) * (g * g)
    m = m / (1 - state.beta1.at(t))
    v = v / (1 - state.beta2.at(t))
    x_new = x - hp["lr"] * m / (np.sqrt(v) + hp["eps"])
    return x_new, g, AdamArticleState(m, v, state.beta1, state.beta2)


ADAM_ARTICLE = Optimizer(
    name="adam_article",
    label="Adam (article, compounding correction)",
    latex=r"m_t = \frac{\beta_1 m_{t-1} + (1 - \beta_1) g_t}{1 - \beta_1^t} \qquad "
    r"v_t = \frac{\beta_2 v_{t-1} + (1 - \beta_2) g_t^2}{1 - \beta_2^t} \\ "
    r"x_t = x_{t-1} - \frac{\eta\, m_t}{\sqrt{v_t} + \epsilon}"
    r"\qquad \text{(corrected moments kept: the correction compounds)}",
    hparams=tuple(hp for hp in ADAM_HPARAMS if hp.name in ("lr", "beta1", "beta2", "eps")),
    init=_adam_init,
    update=_adam_update,
    state_labels=(("m", "m_t"), ("v", "v_t")),
)

VARIANTS: dict[str, Optimizer] = {opt.name: opt for opt in (MOMENTUM_ARTICLE, ADAM_ARTICLE)}
