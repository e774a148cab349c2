"""The built-in objectives. Each teaches one thing; derivatives are written by hand."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np

from errors import LabError
from functions.objective import Objective

sin, cos, tanh, sqrt = np.sin, np.cos, np.tanh, np.sqrt

# Powers are written as products: NumPy computes ``x**3`` differently for a scalar and
# for an array (last bit), and a run must not depend on the batch it is in.


def _sech2(u):
    s = 1 / np.cosh(u)
    return s * s


def _sources() -> dict[str, str]:
    """Each built-in's f, f' and f'' as plain NumPy source, read from its definition
    below (with the helpers above that it uses), so that the definition is the one
    source of truth for the page and for the program it exports."""
    text = Path(__file__).read_text(encoding="utf-8")
    tree = ast.parse(text)
    helpers: dict[str, ast.stmt] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.FunctionDef):
            helpers[stmt.name] = stmt
        elif isinstance(stmt, ast.Assign) and not isinstance(stmt.value, ast.Call):
            for target in stmt.targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        helpers[name.id] = stmt
    out = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_builtin"):
            continue
        kw = {k.arg: k.value for k in node.keywords}
        parts = [kw["f"], kw["df"], kw["d2f"]]
        used: list[ast.stmt] = []
        todo = list(parts)
        while todo:  # the helpers these use, and the helpers those use
            for name in ast.walk(todo.pop()):
                stmt = helpers.get(getattr(name, "id", None))
                if isinstance(name, ast.Name) and stmt is not None and stmt not in used:
                    used.append(stmt)
                    todo.append(stmt)
        used.sort(key=lambda stmt: stmt.lineno)
        defs = [ast.get_source_segment(text, stmt) for stmt in used]
        for fname, part in zip(("f", "df", "d2f"), parts, strict=True):
            body = " ".join(ast.get_source_segment(text, part.body).split())
            defs.append(f"def {fname}(x):\n    return {body}")
        out[kw["name"].value] = "\n\n\n".join(defs) + "\n"
    return out


_SOURCES = _sources()


def _builtin(**fields) -> Objective:
    return Objective(**fields, source=_SOURCES[fields["name"]])


# The article's landscape: a quadratic bowl (the steep walls) plus four harmonics
# (dozens of local minima).
ARTICLE = _builtin(
    name="article",
    label="The article's function",
    latex=r"f(x) = (0.15x)^2 + \cos x + \frac{\sin 3x}{3} + \frac{\cos 5x}{5}"
    r" + \frac{\sin 7x}{7}",
    f=lambda x: (0.15 * x) * (0.15 * x) + cos(x) + sin(3 * x) / 3 + cos(5 * x) / 5 + sin(7 * x) / 7,
    df=lambda x: 0.045 * x - sin(x) + cos(3 * x) - sin(5 * x) + cos(7 * x),
    # -3 sin 3x, not -3 sin x: a widely copied script has this term wrong.
    d2f=lambda x: 0.045 - cos(x) - 3 * sin(3 * x) - 5 * cos(5 * x) - 7 * sin(7 * x),
    bounds=(-20.0, 20.0),
    x0=-20.0,
)

# The same landscape with f' summed in the order the article's code writes it
# ((9/200)x - sin x - sin 5x + cos 3x + cos 7x). Mathematically equal to ARTICLE's, but
# it rounds differently, and on these ripples one ulp changes where a large step lands:
# the article's figures are reproduced only with its own order. A named variant, like
# the article's optimizers: the galleries and a raced gallery panel use it; the
# function picker offers it only while it is shown.
ARTICLE_CODE = _builtin(
    name="article_code",
    label="The article's function, f′ summed as its code does",
    latex=ARTICLE.latex,
    f=lambda x: (0.15 * x) * (0.15 * x) + cos(x) + sin(3 * x) / 3 + cos(5 * x) / 5 + sin(7 * x) / 7,
    df=lambda x: 0.045 * x - sin(x) - sin(5 * x) + cos(3 * x) + cos(7 * x),
    # The article calls ddf but never defines it: this is the exact f''.
    d2f=lambda x: 0.045 - cos(x) - 3 * sin(3 * x) - 5 * cos(5 * x) - 7 * sin(7 * x),
    bounds=(-20.0, 20.0),
    x0=-20.0,
)

# Convex and quadratic: Newton's method lands on the minimum in one step.
QUADRATIC = _builtin(
    name="quadratic",
    label="Quadratic bowl",
    latex=r"f(x) = \tfrac{1}{2}(x - 3)^2",
    f=lambda x: 0.5 * (x - 3) * (x - 3),
    df=lambda x: x - 3.0,
    d2f=lambda x: np.ones_like(x),
    bounds=(-10.0, 10.0),
    x0=-8.0,
)

# A gentle slope that ends in a cliff: near x = -2 the gradient is ~60x larger than
# anywhere else, so a step that was sensible a moment ago throws the run far away.
CLIFF = _builtin(
    name="cliff",
    label="Cliff",
    latex=r"f(x) = 0.02(x - 6)^2 - 5\tanh\big(8(x + 2)\big)",
    f=lambda x: 0.02 * (x - 6) * (x - 6) - 5 * tanh(8 * (x + 2)),
    df=lambda x: 0.04 * (x - 6) - 40 * _sech2(8 * (x + 2)),
    d2f=lambda x: 0.04 + 640 * tanh(8 * (x + 2)) * _sech2(8 * (x + 2)),
    bounds=(-10.0, 10.0),
    x0=-9.0,
)

# f' = x^2 (x + 3): a flat inflection (saddle) at 0 where the gradient vanishes
# without a minimum, and the true minimum at -3.
SADDLE = _builtin(
    name="saddle",
    label="Plateau with a saddle point",
    latex=r"f(x) = \tfrac{1}{4}x^4 + x^3",
    f=lambda x: 0.25 * (x * x) * (x * x) + x * x * x,
    df=lambda x: x * x * x + 3 * x * x,
    d2f=lambda x: 3 * x * x + 6 * x,
    bounds=(-4.5, 2.0),
    x0=1.5,
)

# Two valleys of different depth: starting on the right you find the shallow one.
DOUBLE_WELL = _builtin(
    name="double_well",
    label="Asymmetric double well",
    latex=r"f(x) = x^4 - 4x^2 + x",
    f=lambda x: (x * x) * (x * x) - 4 * x * x + x,
    df=lambda x: 4 * x * x * x - 8 * x + 1,
    d2f=lambda x: 12 * x * x - 8,
    bounds=(-2.5, 2.5),
    x0=2.2,
)

# Rastrigin in one dimension: a regular egg-box of local minima on a bowl.
RASTRIGIN = _builtin(
    name="rastrigin",
    label="Rastrigin",
    latex=r"f(x) = 10 + x^2 - 10\cos 2\pi x",
    f=lambda x: 10 + x * x - 10 * cos(2 * np.pi * x),
    df=lambda x: 2 * x + 20 * np.pi * sin(2 * np.pi * x),
    d2f=lambda x: 2 + 40 * np.pi**2 * cos(2 * np.pi * x),
    bounds=(-5.12, 5.12),
    x0=4.3,
)

# Convex everywhere, yet plain Newton diverges from |x0| > 1: its step sends x to -x^3.
PSEUDO_HUBER = _builtin(
    name="pseudo_huber",
    label="Pseudo-Huber (Newton diverges)",
    latex=r"f(x) = \sqrt{1 + x^2}",
    f=lambda x: sqrt(1 + x * x),
    df=lambda x: x / sqrt(1 + x * x),
    d2f=lambda x: 1 / (sqrt(1 + x * x) * (1 + x * x)),
    bounds=(-6.0, 6.0),
    x0=1.5,
)

FUNCTIONS: dict[str, Objective] = {
    fn.name: fn for fn in (ARTICLE, QUADRATIC, CLIFF, SADDLE, DOUBLE_WELL, RASTRIGIN, PSEUDO_HUBER)
}

# Named variants: ``get`` finds them; the picker lists FUNCTIONS only.
VARIANTS: dict[str, Objective] = {ARTICLE_CODE.name: ARTICLE_CODE}


def get(name: str) -> Objective:
    """The built-in objective called ``name``; ValueError lists the valid names."""
    try:
        return FUNCTIONS[name] if name in FUNCTIONS else VARIANTS[name]
    except KeyError:
        raise LabError("unknown_function", name=name, choices=", ".join(FUNCTIONS)) from None
