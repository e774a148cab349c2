"""First-order methods, step for step as torch.optim computes them (float64).

Each method is a pure ``init``/``update`` pair over an immutable NamedTuple state;
its update rule in LaTeX is the one shown on the page.
"""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

import numpy as np

from errors import LabError
from optimizers.spec import (
    EPS,
    NOISE,
    SEED,
    UNIT_OPEN,
    WEIGHT_DECAY,
    HyperParam,
    Interval,
    Optimizer,
    lr,
)


class Empty(NamedTuple):
    pass


def _no_state(x, hp):
    return Empty()


def _gd_update(x, g, h, state, hp, t):
    return x - hp["lr"] * g, g, state


GD = Optimizer(
    name="gd",
    label="Gradient Descent",
    latex=r"x_{t+1} = x_t - \eta\, f'(x_t)",
    hparams=(lr(0.1),),
    init=_no_state,
    update=_gd_update,
)

SGD = Optimizer(
    name="sgd",
    label="SGD (noisy gradient)",
    latex=r"g_t = f'(x_t) + \sigma \xi_t,\ \xi_t \sim \mathcal{N}(0, 1)"
    r"\qquad x_{t+1} = x_t - \eta\, g_t",
    hparams=(lr(0.1), NOISE, SEED),
    init=_no_state,
    update=_gd_update,
    noise_scale=lambda hp: hp["noise"],
)

BATCH_SIZE = HyperParam(
    "batch_size",
    "B",
    16,
    "Mini-batch size: averaging B noisy gradients divides the noise by √B.",
    lo=1,
    hi=1024,
    log=True,
    kind="int",
    valid=Interval(1.0),
)

MINIBATCH = Optimizer(
    name="minibatch",
    label="Mini-batch SGD",
    latex=r"g_t = f'(x_t) + \frac{\sigma}{\sqrt{B}} \xi_t,\ \xi_t \sim \mathcal{N}(0, 1)"
    r"\qquad x_{t+1} = x_t - \eta\, g_t",
    hparams=(lr(0.1), NOISE, BATCH_SIZE, SEED),
    init=_no_state,
    update=_gd_update,
    noise_scale=lambda hp: hp["noise"] / np.sqrt(hp["batch_size"]),
)


class MomentumState(NamedTuple):
    velocity: np.ndarray  # torch's momentum_buffer


def _momentum_init(x, hp):
    return MomentumState(velocity=np.zeros_like(x))


def _momentum_update(x, g, h, state, hp, t):
    mu = hp["momentum"]
    g = g + hp["weight_decay"] * x
    # torch starts the buffer as the raw gradient, without dampening.
    v = g if t == 1 else mu * state.velocity + (1 - hp["dampening"]) * g
    d = g + mu * v if hp["nesterov"] else v
    return x - hp["lr"] * d, g, MomentumState(velocity=v)


MOMENTUM_HP = HyperParam(
    "momentum",
    r"\mu",
    0.9,
    "Momentum: the fraction of the previous velocity kept at each step.",
    lo=0.0,
    hi=0.999,
)


def _check_nesterov(hp):
    if hp["nesterov"] and (np.any(hp["momentum"] <= 0) or np.any(hp["dampening"] != 0)):
        raise LabError("nesterov")


MOMENTUM = Optimizer(
    name="momentum",
    label="Momentum",
    latex=r"g_t = f'(x_t) + \lambda x_t \qquad v_t = \mu v_{t-1} + (1 - \tau) g_t"
    r"\ (v_1 = g_1) \qquad x_{t+1} = x_t - \eta\, v_t"
    r"\\ \text{Nesterov: } x_{t+1} = x_t - \eta (g_t + \mu v_t)",
    hparams=(
        lr(0.3),
        MOMENTUM_HP,
        HyperParam(
            "dampening",
            r"\tau",
            0.0,
            "Dampening: scales down the new gradient's share of the velocity.",
            lo=0.0,
            hi=1.0,
            valid=Interval(0.0, 1.0),
        ),
        WEIGHT_DECAY,
        HyperParam(
            "nesterov",
            r"\text{Nesterov}",
            False,
            "Nesterov: look ahead along the velocity before stepping.",
            kind="bool",
        ),
    ),
    init=_momentum_init,
    update=_momentum_update,
    check=_check_nesterov,
    state_labels=(("velocity", "v_t"),),
)


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


ADAGRAD = Optimizer(
    name="adagrad",
    label="AdaGrad",
    latex=r"g_t = f'(x_t) + \lambda x_t \qquad G_t = G_{t-1} + g_t^2"
    r"\qquad x_{t+1} = x_t - \frac{\eta}{\sqrt{G_t} + \epsilon}\, g_t",
    hparams=(lr(1.0), replace(EPS, default=1e-10), WEIGHT_DECAY),
    init=_adagrad_init,
    update=_adagrad_update,
    state_labels=(("sum", "G_t"), ("lr_eff", r"\eta_{\text{eff}}")),
)


class RMSpropState(NamedTuple):
    square_avg: np.ndarray
    lr_eff: np.ndarray


def _rmsprop_init(x, hp):
    zero = np.zeros_like(x)
    return RMSpropState(square_avg=zero, lr_eff=zero)


def _rmsprop_update(x, g, h, state, hp, t):
    beta = hp["beta"]
    g = g + hp["weight_decay"] * x
    s = beta * state.square_avg + (1 - beta) * (g * g)
    denom = np.sqrt(s) + hp["eps"]
    return x - hp["lr"] * (g / denom), g, RMSpropState(square_avg=s, lr_eff=hp["lr"] / denom)


BETA = HyperParam(
    "beta",
    r"\rho",
    0.99,
    "Decay of the running average of squared gradients (torch's alpha).",
    lo=0.0,
    hi=0.9999,
    valid=UNIT_OPEN,
)

RMSPROP = Optimizer(
    name="rmsprop",
    label="RMSprop",
    latex=r"g_t = f'(x_t) + \lambda x_t \qquad s_t = \rho s_{t-1} + (1 - \rho) g_t^2"
    r"\qquad x_{t+1} = x_t - \frac{\eta}{\sqrt{s_t} + \epsilon}\, g_t",
    hparams=(lr(0.3), BETA, EPS, WEIGHT_DECAY),
    init=_rmsprop_init,
    update=_rmsprop_update,
    state_labels=(("square_avg", "s_t"), ("lr_eff", r"\eta_{\text{eff}}")),
)


class Powers(NamedTuple):
    """base**t exactly as Python's float power computes it, which is what torch uses
    for its bias corrections: NumPy's vectorised power differs in the last bit for a
    few percent of inputs. Each distinct base is raised once per step."""

    bases: list[float]
    inverse: np.ndarray | None  # None: one scalar base

    @classmethod
    def of(cls, base) -> Powers:
        if np.ndim(base) == 0:
            return cls([float(base)], None)
        bases, inverse = np.unique(base, return_inverse=True)
        return cls(bases.tolist(), inverse)

    def at(self, t: int):
        if self.inverse is None:
            return self.bases[0] ** t
        return np.array([b**t for b in self.bases])[self.inverse]


class AdamState(NamedTuple):
    m: np.ndarray
    v: np.ndarray
    m_hat: np.ndarray  # bias-corrected moments, recorded for display only
    v_hat: np.ndarray
    lr_eff: np.ndarray
    beta1: Powers
    beta2: Powers


def _adam_init(x, hp):
    zero = np.zeros_like(x)
    return AdamState(zero, zero, zero, zero, zero, Powers.of(hp["beta1"]), Powers.of(hp["beta2"]))


def _adam_step(x, g, state, hp, t):
    b1, b2 = hp["beta1"], hp["beta2"]
    m = b1 * state.m + (1 - b1) * g
    v = b2 * state.v + (1 - b2) * (g * g)
    if hp["bias_correction"]:
        bc1, bc2 = 1 - state.beta1.at(t), 1 - state.beta2.at(t)
    else:
        bc1, bc2 = 1.0, 1.0
    step_size = hp["lr"] / bc1
    denom = np.sqrt(v) / np.sqrt(bc2) + hp["eps"]
    # lr_eff multiplies the bias-corrected m̂: the step is lr_eff · m̂.
    new = AdamState(m, v, m / bc1, v / bc2, hp["lr"] / denom, state.beta1, state.beta2)
    return x - step_size * (m / denom), g, new


def _adam_update(x, g, h, state, hp, t):
    return _adam_step(x, g + hp["weight_decay"] * x, state, hp, t)


def _adamw_update(x, g, h, state, hp, t):
    # Decoupled: shrink x itself, then an Adam step on the bare gradient.
    return _adam_step(x * (1 - hp["lr"] * hp["weight_decay"]), g, state, hp, t)


ADAM_HPARAMS = (
    lr(1.0),
    HyperParam(
        "beta1",
        r"\beta_1",
        0.9,
        "Decay of the running average of gradients (the momentum).",
        lo=0.0,
        hi=0.9999,
        valid=UNIT_OPEN,
    ),
    HyperParam(
        "beta2",
        r"\beta_2",
        0.999,
        "Decay of the running average of squared gradients.",
        lo=0.0,
        hi=0.9999,
        valid=UNIT_OPEN,
    ),
    EPS,
    WEIGHT_DECAY,
    HyperParam(
        "bias_correction",
        r"\text{bias correction}",
        True,
        "Divide the averages by 1 − βᵗ, which undoes their start at zero so the first "
        "steps have the intended size.",
        kind="bool",
    ),
)
ADAM_STATE_LABELS = (
    ("m", "m_t"),
    ("v", "v_t"),
    ("m_hat", r"\hat m_t"),
    ("v_hat", r"\hat v_t"),
    ("lr_eff", r"\eta_{\text{eff}}"),
)
ADAM_MOMENTS = (
    r"m_t = \beta_1 m_{t-1} + (1 - \beta_1) g_t \qquad "
    r"v_t = \beta_2 v_{t-1} + (1 - \beta_2) g_t^2 \\ "
    r"\hat m_t = \frac{m_t}{1 - \beta_1^t} \qquad \hat v_t = \frac{v_t}{1 - \beta_2^t}"
)

ADAM = Optimizer(
    name="adam",
    label="Adam",
    latex=r"g_t = f'(x_t) + \lambda x_t \qquad "
    + ADAM_MOMENTS
    + r"\qquad x_{t+1} = x_t - \frac{\eta\, \hat m_t}{\sqrt{\hat v_t} + \epsilon}",
    hparams=ADAM_HPARAMS,
    init=_adam_init,
    update=_adam_update,
    state_labels=ADAM_STATE_LABELS,
)

DECOUPLED_DECAY_HELP = (
    "Decoupled weight decay: shrinks x by the factor 1 − ηλ at every step, apart from the gradient."
)

ADAMW = Optimizer(
    name="adamw",
    label="AdamW",
    latex=r"g_t = f'(x_t) \qquad "
    + ADAM_MOMENTS
    + r"\qquad x_{t+1} = x_t (1 - \eta\lambda) - \frac{\eta\, \hat m_t}{\sqrt{\hat v_t} + \epsilon}",
    hparams=tuple(
        replace(hp, default=0.01, help=DECOUPLED_DECAY_HELP) if hp.name == "weight_decay" else hp
        for hp in ADAM_HPARAMS
    ),
    init=_adam_init,
    update=_adamw_update,
    state_labels=ADAM_STATE_LABELS,
)
