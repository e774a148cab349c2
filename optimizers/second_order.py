"""Newton's method and its regularised form: steps scaled by the curvature f''."""

from __future__ import annotations

from typing import NamedTuple

from optimizers.spec import HyperParam, Optimizer


class NewtonState(NamedTuple):
    curvature: object  # f''(x_t) + alpha, the denominator of the step
    lr_eff: object  # 1 / curvature: the learning rate Newton's step amounts to


def _newton_init(x, hp):
    return NewtonState(curvature=x * 0.0, lr_eff=x * 0.0)


def _newton_update(x, g, h, state, hp, t):
    # Where curvature <= 0 the step heads for a maximum; where it is 0 the step is
    # infinite and the runner records the divergence.
    curvature = h + hp.get("alpha", 0.0)
    return x - g / curvature, g, NewtonState(curvature=curvature, lr_eff=1.0 / curvature)


_STATE_LABELS = (("curvature", r"f''(x_t) + \alpha"), ("lr_eff", r"\eta_{\text{eff}}"))

NEWTON = Optimizer(
    name="newton",
    label="Newton's method",
    latex=r"x_{t+1} = x_t - \frac{f'(x_t)}{f''(x_t)}",
    hparams=(),
    init=_newton_init,
    update=_newton_update,
    second_order=True,
    state_labels=_STATE_LABELS,
)

NEWTON_REG = Optimizer(
    name="newton_reg",
    label="Regularized Newton",
    latex=r"x_{t+1} = x_t - \frac{f'(x_t)}{f''(x_t) + \alpha}",
    hparams=(
        HyperParam(
            "alpha",
            r"\alpha",
            10.0,
            "Added to the curvature: large α makes short, gradient-like steps.",
            lo=0.0,
            hi=100.0,
        ),
    ),
    init=_newton_init,
    update=_newton_update,
    second_order=True,
    state_labels=_STATE_LABELS,
)
