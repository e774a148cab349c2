"""One module per optimization method (a twin may share its sibling's module).

Every ``Optimizer`` a module of this package defines at its top level is registered:
``discover`` finds them, so adding a method is adding its module here, and nothing
else names it. Modules whose names start with ``_`` are helpers and are skipped.
"""

from __future__ import annotations

import importlib
import pkgutil

from optimizers.spec import Optimizer


def discover() -> list[Optimizer]:
    """Every optimizer defined in this package, each once, in module-name order."""
    found: dict[str, Optimizer] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for obj in vars(module).values():
            if not isinstance(obj, Optimizer):
                continue
            if found.setdefault(obj.name, obj) is not obj:
                raise RuntimeError(f"Two optimizers are named {obj.name!r}")
    orders = [opt.order for opt in found.values() if opt.order is not None]
    if len(orders) != len(set(orders)):
        raise RuntimeError(f"Two optimizers share a picker position: {sorted(orders)}")
    return list(found.values())
