"""A typed expression such as ``x^4 - 3x^2 + x`` -> Objective, safe on a public server.

The text never reaches eval, exec or SymPy. A regex tokenizer admits only the whitelist
(ASCII, numbers, x, pi, e, + - * / ^ **, parentheses, the functions in FUNCS); a small
state machine checks the grammar, writes implicit products out (``2x``, ``2sin(x)``,
``x(x+1)``, ``(x+1)(x-1)``, ``2pi``) and maps ``^`` to ``**``; ``ast.parse`` builds the tree
and a walker that accepts only whitelisted nodes compiles it. f' and f'' are exact, by
forward-mode differentiation (each node maps the jet [u, u', u''] of its arguments), so
every step costs time linear in the text. The walker that builds the jets also writes
them as plain Python (calls of the same rules, each rule's own source), which the
exported program runs with NumPy alone and gets the same digits. Symbolic differentiation was measured too slow
for a public server: SymPy needs 1.6 s for f'' of tanh nested 7 deep, and >60 s just to
build it 12 deep; a 195-character product takes 6 s.

Language choices: a run of letters is one name, so ``xx`` is an unknown name (write
``x*x``); implicit products bind like ``*`` (``1/2x`` is x/2); ``-x^2`` is -(x^2); a real
power of a negative number is nan, as in NumPy.
"""

from __future__ import annotations

import ast
import functools
import inspect
import keyword
import math
import re
import time
import unicodedata

import numpy as np

from errors import LabError
from functions.objective import Objective

MAX_LENGTH, MAX_DEPTH, MAX_CONSTANT, MAX_EXPONENT, MAX_WIDTH = 200, 30, 1e6, 100, 1e6
MAX_SECONDS = 1.0  # f, f', f'' on a 10,001-point grid

# name -> (LaTeX, g, g', g'') with g acting on NumPy arrays.
_ATAN = (r"\arctan", np.arctan, lambda u: 1 / (1 + u**2), lambda u: -2 * u / (1 + u**2) ** 2)
FUNCS = {
    "sin": (r"\sin", np.sin, np.cos, lambda u: -np.sin(u)),
    "cos": (r"\cos", np.cos, lambda u: -np.sin(u), lambda u: -np.cos(u)),
    "tan": (r"\tan", np.tan, lambda u: np.cos(u) ** -2, lambda u: 2 * np.tan(u) * np.cos(u) ** -2),
    "exp": (r"\exp", np.exp, np.exp, np.exp),
    "log": (r"\ln", np.log, lambda u: 1 / u, lambda u: -1 / u**2),
    "sqrt": (None, np.sqrt, lambda u: 0.5 / np.sqrt(u), lambda u: -0.25 / u**1.5),
    "abs": (None, np.abs, np.sign, lambda u: 0 * u),  # |u|'' = 0 except at the kink
    "tanh": (
        r"\tanh",
        np.tanh,
        lambda u: np.cosh(u) ** -2,  # not 1 - tanh^2, which cancels to 0 for large u
        lambda u: -2 * np.tanh(u) * np.cosh(u) ** -2,
    ),
    "sinh": (r"\sinh", np.sinh, np.cosh, np.sinh),
    "cosh": (r"\cosh", np.cosh, np.sinh, np.cosh),
    "atan": _ATAN,
    "arctan": _ATAN,
}
CONSTANTS = {"pi": (r"\pi", np.pi), "e": ("e", np.e)}
_TOKEN = re.compile(
    r"(?P<space>[ \t]+)|(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<name>[A-Za-z_]\w*)|(?P<op>\*\*|[-+*/^()])",
    re.ASCII,
)
_FLAT = (ast.Add, ast.Sub, ast.Mult, ast.Div)


def from_expression(
    text: str, bounds: tuple[float, float] = (-10.0, 10.0), x0: float | None = None
) -> Objective:
    """The Objective for ``text`` on ``bounds``; a LabError (a ValueError) says what is
    wrong and where.

    ``x0`` defaults to lo + 0.1 (hi - lo), or, where f or f' is undefined there, to a
    point a tenth of the way into the widest stretch where both are defined. The label is ``text.strip()``, so feeding the
    label back (e.g. from a URL) gives the same function."""
    tree, cols = _parse(text)
    (jet, jet_source), latex = _build(tree, cols), _latex(tree.body)
    given = x0 is not None
    lo, hi, x0 = _check_domain(bounds, x0)
    f, df, d2f = (_numeric(jet, order) for order in (0, 1, 2))
    label, grid, start = text.strip(), np.linspace(lo, hi, 10_001), time.perf_counter()
    defined = np.isfinite(f(grid))
    finite = defined.any()
    slope = np.isfinite(df(grid))
    d2f(grid)
    if finite and not given and not (np.isfinite(f(x0)) and np.isfinite(df(x0))):
        x0 = _defined_start(grid, defined & slope if (defined & slope).any() else defined, x0)
    if time.perf_counter() - start > MAX_SECONDS:
        raise LabError("too_slow", expression=label)
    if not finite:
        raise LabError("nowhere_finite", expression=label, lo=lo, hi=hi)
    try:
        return Objective(
            "custom",
            label,
            "f(x) = " + latex,
            f,
            df,
            d2f,
            (lo, hi),
            x0,
            source=_python_source(label, jet_source),
            confined=True,
        )
    except ValueError:  # only raised when no finite value is found on the fine grid
        raise LabError("nowhere_finite", expression=label, lo=lo, hi=hi) from None


def _defined_start(grid: np.ndarray, ok: np.ndarray, default: float) -> float:
    """A start where f and f' are defined (log(x) or sqrt(x) on [-5, 5]), as the default
    is placed in the bounds: a tenth of the way into the widest stretch of grid points
    where they are, from its end nearest the default. Not at that end itself, where a
    pole or the edge of the domain is (log x at 0+ has f' = 1/x huge)."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], ok.astype(int), [0]))))
    starts, ends = edges[::2], edges[1::2] - 1  # inclusive grid index ranges
    k = int(np.argmax(ends - starts))
    a, b = float(grid[starts[k]]), float(grid[ends[k]])
    if abs(default - a) <= abs(default - b):
        return a + 0.1 * (b - a)
    return b - 0.1 * (b - a)


def _parse(text: str) -> tuple[ast.Expression, list[int]]:
    """The checked AST and, per character of its source, the column in ``text``."""
    if not isinstance(text, str):
        raise LabError("not_a_string", type=type(text).__name__)
    body = text.strip()
    if not body:
        raise LabError("empty_expression")
    if len(body) > MAX_LENGTH:
        raise LabError("too_long", length=len(body), limit=MAX_LENGTH)
    offset = len(text) - len(text.lstrip())
    # First, because Python's parser would NFKC-normalise a fullwidth 'ｘ' into 'x'.
    for i, ch in enumerate(body):
        if not ch.isascii():
            raise LabError(
                "non_ascii",
                char=ch,
                codepoint=ord(ch),
                char_name=unicodedata.name(ch, "?"),
                column=offset + i + 1,
            )
    source, cols = _to_python(_tokens(body, offset))
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:  # _to_python already checked the grammar; a second line
        raise LabError("syntax_error", column=cols[min(exc.offset or 1, len(cols)) - 1]) from None
    if _depth(tree.body) > MAX_DEPTH:
        raise LabError("too_deep", limit=MAX_DEPTH)
    return tree, cols


def _tokens(body: str, offset: int) -> list[tuple[str, str, int]]:
    """(kind, text, 1-based column) for each token; rejects anything off the whitelist."""
    out, pos = [], 0
    while pos < len(body):
        m, col = _TOKEN.match(body, pos), offset + pos + 1
        if m is None:
            raise LabError("bad_character", char=body[pos], column=col)
        kind, tok = m.lastgroup, m.group()
        if kind == "name" and tok not in FUNCS and tok not in CONSTANTS and tok != "x":
            if keyword.iskeyword(tok) or keyword.issoftkeyword(tok):
                raise LabError("keyword", name=tok, column=col)
            if re.fullmatch(r"(?:x|e|pi)+", tok):
                product = "*".join(re.findall(r"x|e|pi", tok))
                raise LabError("unknown_name_product", name=tok, column=col, product=product)
            raise LabError("unknown_name", name=tok, column=col)
        if kind == "num" and float(tok) > MAX_CONSTANT:
            raise LabError("number_too_large", number=tok, column=col, limit=MAX_CONSTANT)
        if kind != "space":
            out.append((kind, tok, col))
        pos = m.end()
    return out


def _to_python(tokens: list[tuple[str, str, int]]) -> tuple[str, list[int]]:
    """Check the grammar; return Python source with explicit * and ** and, for each of its
    characters, the column of the token it came from."""
    src: list[str] = []
    cols: list[int] = []

    def emit(piece: str, col: int) -> None:
        src.append(piece + " ")  # the space keeps '/ /' from becoming '//'
        cols.extend([col] * (len(piece) + 1))

    want_operand, opened, prev = True, [], None
    for kind, tok, col in tokens:
        if prev is not None and prev[1] in FUNCS and tok != "(":
            raise LabError("needs_parenthesis", name=prev[1], column=prev[2])
        if not want_operand:
            if kind == "op" and tok not in "()":  # a binary operator
                emit("**" if tok == "^" else tok, col)
                want_operand, prev = True, (kind, tok, col)
                continue
            if tok == ")":
                if not opened:
                    raise LabError("unmatched_parenthesis", column=col)
                opened.pop()
                emit(tok, col)
                prev = (kind, tok, col)
                continue
            if kind != "name" and tok != "(":
                raise LabError("missing_operator", token=tok, column=col)
            emit("*", col)  # implicit multiplication
        if tok in ("+", "-"):  # unary
            emit(tok, col)
        elif tok == "(":
            opened.append(col)
            if len(opened) > MAX_DEPTH:
                raise LabError("too_deep_at", column=col, limit=MAX_DEPTH)
            emit(tok, col)
        elif kind == "num":  # re-spelt so that e.g. 007 is not a Python syntax error
            emit(repr(float(tok)) if re.search("[.eE]", tok) else str(int(tok)), col)
        elif kind == "name":
            emit(tok, col)
        elif tok == ")" and prev is not None and prev[1] == "(":
            raise LabError("empty_parentheses", column=prev[2])
        else:
            raise LabError("unexpected_token", token=tok, column=col)
        want_operand = tok in "+-(" or tok in FUNCS
        prev = (kind, tok, col)
    if prev is None:
        raise LabError("empty_expression")
    if prev[1] in FUNCS:
        raise LabError("needs_parenthesis", name=prev[1], column=prev[2])
    if want_operand:
        raise LabError("ends_unexpectedly", token=prev[1], column=prev[2])
    if opened:
        raise LabError("unclosed_parenthesis", column=opened[-1])
    return "".join(src), cols


def _depth(node: ast.AST) -> int:
    """Nesting depth in operations. The left operand of + - * / does not nest, so a long
    flat sum or product is shallow while f(f(f(x))), ---x and x^x^x are deep."""
    kids = node.args if isinstance(node, ast.Call) else list(ast.iter_child_nodes(node))
    kids = [k for k in kids if isinstance(k, ast.expr)]
    if not kids:
        return 0
    flat = isinstance(node, ast.BinOp) and isinstance(node.op, _FLAT)
    if flat and isinstance(node.left, ast.BinOp) and isinstance(node.left.op, _FLAT):
        return max(_depth(node.left), 1 + _depth(node.right))
    return 1 + max(_depth(k) for k in kids)


# Jets: [u, u', u''] truncated to the order asked for. Leibniz and quotient rules.
# Written out per order: these run at every step of every run, and the generic
# Leibniz sums cost more in Python than the arithmetic they do.
def _constant(c, n):
    return [np.float64(c)] + [0.0] * n


def _variable(x, n):
    return [x, 1.0, 0.0][: n + 1]


def _signed(sign, u):
    return [sign * t for t in u]


def _add(u, v):
    return [a + b for a, b in zip(u, v, strict=True)]


def _sub(u, v):
    return [a - b for a, b in zip(u, v, strict=True)]


def _divide_by(u, c):
    """u over a constant c."""
    return [t / np.float64(c) for t in u]


def _mul(u, v):
    w = [u[0] * v[0]]
    if len(u) > 1:
        w.append(u[1] * v[0] + u[0] * v[1])
    if len(u) > 2:
        w.append(u[2] * v[0] + 2 * (u[1] * v[1]) + u[0] * v[2])
    return w


def _scale(u, c):
    """u times a constant c: no need to carry c's zero derivatives."""
    return [c * t for t in u]


def _div(u, v):
    w = [u[0] / v[0]]
    if len(u) > 1:
        w.append((u[1] - w[0] * v[1]) / v[0])
    if len(u) > 2:
        w.append((u[2] - 2 * (w[1] * v[1]) - w[0] * v[2]) / v[0])
    return w


def _chain(g, u):
    """g(u) for g = (g, g', g''): Faa di Bruno up to second order."""
    w = [g[0](u[0])]
    if len(u) > 1:
        w.append(g[1](u[0]) * u[1])
    if len(u) > 2:
        w.append(g[2](u[0]) * u[1] ** 2 + g[1](u[0]) * u[2])
    return w


def _pow(u, v, c):
    """u^v; c is v's value when v does not depend on x (then u < 0 keeps real derivatives)."""
    if c is not None:
        if c == 0:
            return [np.float64(1.0)] + [0.0] * (len(u) - 1)
        d2 = (lambda t: c * (c - 1) * t ** (c - 2)) if c != 1 else (lambda t: 0 * t)
        return _chain((lambda t: t**c, lambda t: c * t ** (c - 1), d2), u)
    w = [u[0] ** v[0]]
    if len(u) > 1:  # (u^v)' = u^v (v log u)'
        lg = _mul(v, _chain(FUNCS["log"][1:], u))
        w.append(w[0] * lg[1])
        if len(u) > 2:
            w.append(w[0] * (lg[2] + lg[1] ** 2))
    return w


_BINARY = {ast.Add: _add, ast.Sub: _sub, ast.Mult: _mul, ast.Div: _div}


def _build(tree: ast.AST, cols: list[int] | None = None):
    """From an AST of whitelisted nodes only: a function jet(x, order) -> [f, f', ...]
    and, beside it, the same jet as the source of one Python expression in ``x`` and
    ``n`` that calls the same rules (``_mul``, ``_chain``, ...) with the same arguments:
    each branch below builds both from one decision.

    x-free subtrees are folded to constants at once; each must be finite (1/0, log(0),
    exp(1e6) are rejected here) and a constant exponent must be at most MAX_EXPONENT."""

    def col(node: ast.AST) -> int:
        return cols[node.col_offset] if cols else node.col_offset + 1

    def constant(c):
        return (lambda x, n: _constant(c, n)), c, f"_constant({c!r}, n)"

    def walk(node: ast.AST):  # -> (jet function, value if x-free else None, source)
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            if not abs(node.value) <= MAX_CONSTANT:
                raise LabError("constant_too_large", column=col(node))
            return constant(node.value)
        if isinstance(node, ast.Name) and node.id == "x":
            return _variable, None, "_variable(x, n)"
        if isinstance(node, ast.Name) and node.id in CONSTANTS:
            return constant(CONSTANTS[node.id][1])
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            u, value, us = walk(node.operand)
            sign = -1 if isinstance(node.op, ast.USub) else 1
            return fold(node, lambda x, n: _signed(sign, u(x, n)), f"_signed({sign}, {us})", value)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            (u, a, us), (v, c, vs) = walk(node.left), walk(node.right)
            if c is not None and not abs(c) <= MAX_EXPONENT:
                what = ast.unparse(node.right).replace("**", "^")
                what += "" if what == f"{c:.6g}" else f" = {c:.6g}"
                raise LabError(
                    "exponent_too_large", exponent=what, column=col(node.right), limit=MAX_EXPONENT
                )
            jet = lambda x, n: _pow(u(x, n), v(x, n), c)  # noqa: E731
            return fold(node, jet, f"_pow({us}, {vs}, {c!r})", a, c)
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            (u, a, us), (v, b, vs) = walk(node.left), walk(node.right)
            rule = _BINARY[type(node.op)]
            # A constant factor or divisor scales the jet of the other side.
            if isinstance(node.op, ast.Mult) and a is not None and b is None:
                jet = lambda x, n: _scale(v(x, n), np.float64(a))  # noqa: E731
                return fold(node, jet, f"_scale({vs}, np.float64({a!r}))", a, b)
            if isinstance(node.op, ast.Mult) and b is not None and a is None:
                jet = lambda x, n: _scale(u(x, n), np.float64(b))  # noqa: E731
                return fold(node, jet, f"_scale({us}, np.float64({b!r}))", a, b)
            if isinstance(node.op, ast.Div) and b is not None and a is None:
                jet = lambda x, n: _divide_by(u(x, n), b)  # noqa: E731
                return fold(node, jet, f"_divide_by({us}, {b!r})", a, b)
            jet = lambda x, n: rule(u(x, n), v(x, n))  # noqa: E731
            return fold(node, jet, f"{rule.__name__}({us}, {vs})", a, b)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in FUNCS
            and len(node.args) == 1
            and not isinstance(node.args[0], ast.Starred)
            and not node.keywords
        ):
            (u, value, us), name = walk(node.args[0]), node.func.id
            g = FUNCS[name][1:]
            jet = lambda x, n: _chain(g, u(x, n))  # noqa: E731
            return fold(node, jet, f'_chain(FUNCS["{name}"][1:], {us})', value)
        raise LabError(
            "node_not_allowed",
            node=type(node).__name__,
            source=ast.unparse(node),
            column=col(node),
        )

    def fold(node, jet, source, *values):
        if any(v is None for v in values):
            return jet, None, source
        with np.errstate(all="ignore"):
            value = float(jet(None, 0)[0])
        if not math.isfinite(value):
            what = ast.unparse(node).replace("**", "^")
            raise LabError("undefined", expression=what, column=col(node), value=value)
        return constant(value)

    jet, _, source = walk(tree)
    return jet, source


# The rules a jet's source may call, and _numeric, which turns a jet into f, f', f''.
_RULES = (_constant, _variable, _signed, _add, _sub, _divide_by, _mul, _scale, _div, _chain, _pow)


@functools.cache
def _funcs_source() -> dict[str, str]:
    """Each entry of FUNCS as it is written in this file: name -> its tuple's source."""
    text = inspect.getsource(inspect.getmodule(_funcs_source))
    tree = ast.parse(text)
    named = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and isinstance(stmt.targets[0], ast.Name):
            named[stmt.targets[0].id] = stmt.value
    table = named["FUNCS"]
    out = {}
    for key, value in zip(table.keys, table.values, strict=True):
        value = named[value.id] if isinstance(value, ast.Name) else value
        out[key.value] = ast.get_source_segment(text, value)
    return out


def _python_source(label: str, jet_source: str) -> str:
    """Plain NumPy source defining f, df and d2f for a typed expression: its jet's
    source and the rules that source calls, each exactly as written in this module."""
    jet_def = f"def jet(x, n):\n    return {jet_source}\n"
    rules = {r.__name__: inspect.getsource(r) for r in (*_RULES, _numeric)}
    used, todo = {"_numeric"}, [jet_def]
    while todo:
        body = todo.pop()
        for name, src in rules.items():
            if name not in used and re.search(rf"\b{name}\(", body):
                used.add(name)
                todo.append(src)
    funcs = _funcs_source()
    wanted = [n for n in funcs if f'FUNCS["{n}"]' in jet_def]
    if "_pow" in used and "log" not in wanted:
        wanted.append("log")  # _pow's rule for x-dependent exponents uses log
    table = "".join(f'    "{n}": {funcs[n]},\n' for n in wanted)
    parts = [
        f"# f(x) = {label}, with exact f' and f'' by forward-mode differentiation: a jet\n"
        "# is [u, u', u''], and each rule below maps the jets of its arguments to the jet\n"
        "# of its result. FUNCS holds each function's (LaTeX, g, g', g'').",
        f"FUNCS = {{\n{table}}}\n" if wanted else "",
        *(rules[name] for name in rules if name in used and name != "_numeric"),
        jet_def,
        rules["_numeric"],
        "f, df, d2f = (_numeric(jet, order) for order in (0, 1, 2))\n",
    ]
    return "\n\n".join(p.strip("\n") + "\n" for p in parts if p)


def _numeric(jet, order: int):
    """The order-th derivative as a NumPy function: float array in, same shape out; nan
    wherever f itself is nan (log(x) has no slope at x = -1 even though 1/x has)."""

    def evaluate(x):
        shape = np.shape(x)
        # Always through NumPy's array loops: its scalar power differs in the last bit,
        # and a run must not depend on the batch it runs in.
        x = np.asarray(x, dtype=float).reshape(-1)
        with np.errstate(all="ignore"):
            w = jet(x, order)
            y = np.where(np.isnan(w[0]), np.nan, w[order])  # no slope where f is undefined
        y = np.array(np.broadcast_to(y, x.shape), dtype=float).reshape(shape)  # constants too
        return y if y.ndim else y[()]

    return evaluate


def _latex(node: ast.AST) -> str:
    """LaTeX for a checked AST, keeping the user's structure (no simplification)."""

    def paren(s: str) -> str:
        return rf"\left({s}\right)"

    if isinstance(node, ast.Constant):
        s = f"{node.value:.15g}"
        mantissa, _, exponent = s.partition("e")
        return rf"{mantissa} \cdot 10^{{{int(exponent)}}}" if exponent else s
    if isinstance(node, ast.Name):
        return "x" if node.id == "x" else CONSTANTS[node.id][0]
    if isinstance(node, ast.UnaryOp):
        s = _latex(node.operand)
        low = isinstance(node.operand, ast.UnaryOp) or (
            isinstance(node.operand, ast.BinOp) and isinstance(node.operand.op, _FLAT[:2])
        )
        return ("-" if isinstance(node.op, ast.USub) else "+") + (paren(s) if low else s)
    if isinstance(node, ast.Call):
        arg, name = _latex(node.args[0]), node.func.id
        if name == "sqrt":
            return rf"\sqrt{{{arg}}}"
        return rf"\left|{arg}\right|" if name == "abs" else FUNCS[name][0] + paren(arg)
    a, b = _latex(node.left), _latex(node.right)
    low = (ast.Add, ast.Sub)
    left_low = isinstance(node.left, ast.BinOp) and isinstance(node.left.op, low)
    right_low = isinstance(node.right, ast.UnaryOp) or (
        isinstance(node.right, ast.BinOp) and isinstance(node.right.op, low)
    )
    if isinstance(node.op, ast.Div):
        return rf"\frac{{{a}}}{{{b}}}"
    if isinstance(node.op, ast.Pow):
        nested = isinstance(node.left, ast.BinOp | ast.UnaryOp) or "^" in a  # 10^{-7}
        return f"{paren(a) if nested else a}^{{{b}}}"
    if isinstance(node.op, ast.Mult):
        a, b = paren(a) if left_low else a, paren(b) if right_low else b
        return a + (r" \cdot " if b[0].isdigit() else " ") + b
    symbol = "+" if isinstance(node.op, ast.Add) else "-"
    needs = isinstance(node.right, ast.UnaryOp) or (symbol == "-" and right_low)
    return f"{a} {symbol} {paren(b) if needs else b}"


def _check_domain(bounds, x0) -> tuple[float, float, float]:
    try:
        lo, hi = (float(b) for b in bounds)
    except (TypeError, ValueError):
        raise LabError("bounds_not_numbers", bounds=bounds) from None
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise LabError("bad_bounds", bounds=bounds)
    if hi - lo > MAX_WIDTH:
        raise LabError("bounds_too_wide", width=hi - lo, limit=MAX_WIDTH)
    if x0 is None:
        return lo, hi, lo + 0.1 * (hi - lo)
    try:
        x0 = float(x0)
    except (TypeError, ValueError):
        raise LabError("x0_not_a_number", value=x0) from None
    if not lo <= x0 <= hi:
        raise LabError("x0_outside", value=x0, lo=lo, hi=hi)
    return lo, hi, x0
