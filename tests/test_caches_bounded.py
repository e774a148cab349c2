"""Every cache is bounded: links come from strangers, and a class runs for hours.

Read from the source: every Streamlit cache names ``max_entries`` (or a ``ttl``), every
``functools.lru_cache`` a ``maxsize``, and ``functools.cache`` (unbounded) only holds
functions without arguments, which have one entry.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted(
    p
    for p in ROOT.glob("**/*.py")
    if not {"tests", "bench", ".git"} & set(p.relative_to(ROOT).parts)
)


def caches(path: Path):
    """(function, decorator name, keyword names, arguments taken) of each cached
    function in ``path``."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.FunctionDef):
            continue
        for dec in node.decorator_list:
            call = dec if isinstance(dec, ast.Call) else None
            name = ast.unparse(call.func if call else dec)
            if "cache" in name:
                keywords = {k.arg: ast.unparse(k.value) for k in call.keywords} if call else {}
                yield node.name, name, keywords, len(node.args.args)


def test_the_sources_are_found():
    names = {p.name for p in SOURCES}
    assert {"app.py", "cache.py", "explore.py"} <= names


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_cache_is_bounded(path):
    for func, name, keywords, n_args in caches(path):
        where = f"{path.relative_to(ROOT)}: {func}"
        if name.startswith("st.cache"):
            assert "max_entries" in keywords or "ttl" in keywords, where
            assert keywords.get("max_entries") != "None", where
        elif name.endswith("lru_cache"):
            assert keywords.get("maxsize", "None") != "None", where
        else:
            assert name == "functools.cache" and n_args == 0, where
