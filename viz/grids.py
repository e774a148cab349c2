"""The values a hyperparameter's slider offers, from its spec.

Log-scaled values get ten steps a decade; decay rates in [0, 1) get steps that crowd
towards 1, where a change from 0.99 to 0.999 matters as much as 0.1 to 0.5. The
current value is always offered, so an exact value from a link is kept.
"""

from __future__ import annotations

import math

import numpy as np

from optimizers.spec import HyperParam

MANTISSAS = (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8)
DECAYS = (
    0.0,
    0.1,
    0.2,
    0.3,
    0.4,
    0.5,
    0.6,
    0.7,
    0.8,
    0.85,
    0.9,
    0.95,
    0.98,
    0.99,
    0.995,
    0.998,
    0.999,
    0.9995,
    0.9998,
    0.9999,
)
LINEAR_STEPS = 100


def is_decay(hp: HyperParam) -> bool:
    return hp.kind == "float" and not hp.log and hp.lo == 0 and hp.hi < 1


def log_values(hp: HyperParam) -> list[float]:
    """Ten values a decade (``MANTISSAS``) from the spec's lo to its hi."""
    decades = range(math.floor(math.log10(hp.lo)), math.ceil(math.log10(hp.hi)) + 1)
    values = [float(f"{m}e{d}") for d in decades for m in MANTISSAS]
    return [v for v in values if hp.lo <= v <= hp.hi]


def slider_values(hp: HyperParam, current: float) -> list[float]:
    if hp.kind == "int":
        values = [2**k for k in range(int(math.log2(hp.hi)) + 1) if hp.lo <= 2**k <= hp.hi]
    elif hp.log:
        values = log_values(hp)
    elif is_decay(hp):
        values = list(DECAYS)
    else:
        values = [float(v) for v in np.round(np.linspace(hp.lo, hp.hi, LINEAR_STEPS + 1), 12)]
    values = [v for v in values if hp.lo <= v <= hp.hi]
    return sorted({*values, current, hp.default})


def fmt(value: float) -> str:
    return f"{value:g}"
