"""Optimizers: specs, update rules and the vectorised runner."""

from optimizers.run import MAX_STEPS, OPTIMIZERS, VARIANTS, Trajectory, get, run
from optimizers.spec import HyperParam, Interval, Optimizer

__all__ = [
    "MAX_STEPS",
    "OPTIMIZERS",
    "VARIANTS",
    "HyperParam",
    "Interval",
    "Optimizer",
    "Trajectory",
    "get",
    "run",
]
