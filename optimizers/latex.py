"""Numbers and notes in LaTeX, for the rows each optimizer's step inspector writes.

Pure formatting: no NumPy arrays are built, nothing is drawn.
"""

from __future__ import annotations

import math
from typing import Any


def num(value: Any) -> str:
    """A number in LaTeX, to 6 significant digits; exponents as × 10^n."""
    v = float(value) + 0.0  # no "-0"
    if math.isnan(v):
        return r"\text{NaN}"
    if math.isinf(v):
        return r"\infty" if v > 0 else r"-\infty"
    text = f"{v:.6g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return text


def paren(value: Any) -> str:
    """``num``, in parentheses when negative, for use inside a product."""
    s = num(value)
    return f"({s})" if s.startswith("-") else s


def words(text: str) -> str:
    """Prose inside a LaTeX row."""
    return rf"\text{{{text}}}"
