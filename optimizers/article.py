"""The article's own variants, reproduced with their quirks; never the defaults."""

from __future__ import annotations

from optimizers.spec import Optimizer

VARIANTS: dict[str, Optimizer] = {}
