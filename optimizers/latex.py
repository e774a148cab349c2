"""Numbers and notes in LaTeX, for the rows each optimizer's step inspector writes.

Pure formatting: no NumPy arrays are built, nothing is drawn.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any


def num(value: Any, digits: int = 6) -> str:
    """A number in LaTeX, to ``digits`` significant digits; exponents as × 10^n."""
    v = float(value) + 0.0  # no "-0"
    if math.isnan(v):
        return r"\text{NaN}"
    if math.isinf(v):
        return r"\infty" if v > 0 else r"-\infty"
    text = f"{v:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return text


def digits_for(result: Any, compute: Callable[..., float], *operands: Any) -> int:
    """The fewest significant digits, from 6, to show the operands at so that ``compute``
    of them as shown gives the result as shown (6 digits): so that "a × b = c" on the
    page is arithmetic that holds. 17 digits show every float exactly."""
    for d in range(6, 18):
        shown = [float(f"{float(o):.{d}g}") for o in operands]
        try:
            value = float(compute(*shown))
        except (ArithmeticError, ValueError):
            return 6
        if not (math.isfinite(value) and math.isfinite(float(result))):
            return 6
        if float(f"{value:.6g}") == float(f"{float(result):.6g}"):
            return d
    return 17


def paren(value: Any, digits: int = 6) -> str:
    """``num``, in parentheses when negative, for use inside a product."""
    s = num(value, digits)
    return f"({s})" if s.startswith("-") else s


def words(text: str) -> str:
    """Prose inside a LaTeX row."""
    return rf"\text{{{text}}}"


def evaluated(
    symbolic: str, numbers: Callable[[int], str], rule: Callable[..., float], *operands: Any
) -> tuple[str, float]:
    """A step written three ways, "symbolic = numbers = value", and its value: ``rule``
    of ``operands``, with ``numbers(d)`` showing the operands at the digits ``d`` where
    that arithmetic holds (``digits_for``)."""
    value = rule(*operands)
    d = digits_for(value, rule, *operands)
    return f"{symbolic} = {numbers(d)} = {num(value)}", value


def first_moment_row(beta1: Any, m_prev: Any, g: Any, m: Any) -> tuple[str, str]:
    """The inspector row of the running average of g that Adam's family shares."""
    return (
        "m_t",
        rf"\beta_1 m_{{t-1}} + (1 - \beta_1) g_t = {num(beta1)} \times {paren(m_prev)} + "
        rf"(1 - {num(beta1)}) \times {paren(g)} = {num(m)}",
    )
