"""The article's Adam, reproduced with its quirk; never the default.

Like ``momentum_article`` (whose docstring says how the article's variants were
written and why the picker does not offer them), it is a named variant. Its loop,
exactly as the article's code computes it (``g = f'(x_{t-1})``, float64, left to right):

``adam_article`` (lr, beta1, beta2, eps)::

    m = v = 0
    for t in 1..T:
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g     # ((1 - beta2) * g) * g
        m = m / (1 - beta1 ** t)        # written back into the state ...
        v = v / (1 - beta2 ** t)        # ... so the next step corrects it again
        x = x - lr / (eps + sqrt(v)) * m     # (lr / (eps + sqrt(v))) * m

  Correct Adam keeps m and v uncorrected and divides only the copies it steps with.
  Here the correction compounds: after t steps an early gradient has been divided by
  (1 - beta^1)(1 - beta^2)...(1 - beta^t). At t = 1 both agree (m_1, v_1 are Adam's
  m-hat_1, v-hat_1 exactly). With beta1 = beta2 = 0.9 (the article's sweep, from
  x0 = -20) the inflated history makes the steps grow to 50-60 lr around step 20 and
  the runs fly out to x ~ 750-2900. With beta2 = 0.999 v grows about
  beta2 / (1 - beta2^t) ~ 1000 / t -fold per step: for lr = 2 the steps fall below
  1e-6 lr by step 9, x last changes at step 19 and v is inf from step 328
  (``viz.gallery.adam_comparison`` measures this). ``beta ** t`` is Python's float
  power through ``optimizers.common.Powers``, as Adam's, so a run gives the same digits
  alone and in a batch. Recorded: m and v (the written-back, corrected moments).
  Drawn in Adam's colour and marker.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from optimizers.common import Powers
from optimizers.methods.adam import ADAM, ADAM_HPARAMS, ADAM_RECORDED
from optimizers.spec import Optimizer, Source, Text


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
    v = b2 * state.v + (1 - b2) * g * g
    m = m / (1 - state.beta1.at(t))
    v = v / (1 - state.beta2.at(t))
    x_new = x - hp["lr"] / (hp["eps"] + np.sqrt(v)) * m
    return x_new, g, AdamArticleState(m, v, state.beta1, state.beta2)


ADAM_ARTICLE = Optimizer(
    name="adam_article",
    label="Adam (article, compounding correction)",
    label_zh="Adam（文章版，偏差修正逐步累乘）",
    latex=r"m_t = \frac{\beta_1 m_{t-1} + (1 - \beta_1) g_t}{1 - \beta_1^t} \qquad "
    r"v_t = \frac{\beta_2 v_{t-1} + (1 - \beta_2) g_t^2}{1 - \beta_2^t} \\ "
    r"x_t = x_{t-1} - \frac{\eta}{\epsilon + \sqrt{v_t}}\, m_t",
    latex_note=Text(
        "(corrected moments kept: the correction compounds)",
        "（修正后的矩被写回：修正逐步累乘）",
    ),
    hparams=tuple(hp for hp in ADAM_HPARAMS if hp.name in ("lr", "beta1", "beta2", "eps")),
    init=_adam_init,
    update=_adam_update,
    source=Source(
        init="m = v = 0.0  # the moments, kept bias-corrected",
        step="m = beta1 * m + (1 - beta1) * g\n"
        "v = beta2 * v + (1 - beta2) * g * g\n"
        "m = m / (1 - beta1**t)\n"
        "v = v / (1 - beta2**t)\n"
        "x_new = x - lr / (eps + np.sqrt(v)) * m",
    ),
    recorded=tuple(s for s in ADAM_RECORDED if s.field in ("m", "v")),
    color=ADAM.color,
    marker=ADAM.marker,
    idea=Text(
        en="The article's Adam: the same moments as Adam, but the bias-corrected mₜ and vₜ "
        "are written back into the state. The next step corrects them again, so the "
        "correction compounds step after step.",
        zh="文章版的 Adam：一阶矩和二阶矩与 Adam 相同，但偏差修正后的 mₜ 和 vₜ 被写回状态。"
        "下一步会再修正一次，所以修正逐步累乘。",
    ),
    failure=Text(
        en="With β₂ = 0.999, v grows about 1000/t-fold per step, so within a few dozen steps "
        "the steps shrink to nothing and the run freezes wherever it happens to be. With "
        "β₁ = β₂ = 0.9 the inflated history makes the steps grow instead, and the runs fly "
        "off to x in the hundreds or thousands.",
        zh="β₂ = 0.999 时，v 每步约放大 1000/t 倍，几十步之内步长就缩到几乎为零，轨迹走到哪里"
        "就冻结在哪里。β₁ = β₂ = 0.9 时，被放大的历史反而让步长变大，轨迹飞到 x 为数百乃至"
        "数千的地方。",
    ),
)
