"""Test functions: objectives with exact derivatives, bounds and known minima."""

from functions.custom import from_expression as from_expression
from functions.library import FUNCTIONS, VARIANTS, get
from functions.objective import Objective

__all__ = ["FUNCTIONS", "VARIANTS", "Objective", "get"]
