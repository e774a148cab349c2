"""Numerics several methods share."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


class Empty(NamedTuple):
    pass


def no_state(x, hp):
    return Empty()


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
