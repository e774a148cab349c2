"""Optimizers: specs, update rules and the vectorised runner."""

from optimizers.run import MAX_STEPS, OPTIMIZERS, VARIANTS, Trajectory, get, run
from optimizers.schedules import KINDS as SCHEDULES
from optimizers.schedules import Schedule, schedule
from optimizers.spec import HyperParam, Interval, Optimizer

__all__ = [
    "MAX_STEPS",
    "OPTIMIZERS",
    "SCHEDULES",
    "VARIANTS",
    "HyperParam",
    "Interval",
    "Optimizer",
    "Schedule",
    "Trajectory",
    "get",
    "run",
    "schedule",
]
