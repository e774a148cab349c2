"""Structured errors: every error of the core has a code, its params, one English
template (errors.MESSAGES) and one Chinese template (viz.text.ERRORS_ZH) with the same
fields, and is raised by real calls with exactly the message notebooks already match."""

import ast
import pathlib
import pickle
import re
import string
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
import pytest

import functions
import functions.custom as custom
import optimizers
from errors import MESSAGES, LabError
from viz import explain, explore, exports, gallery, lessons, step_view
from viz.config import Config
from viz.figures import Run
from viz.text import ERRORS_ZH, error_text

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORE = ("functions", "optimizers", "viz")
CJK = re.compile(r"[\u4e00-\u9fff]")
ALLOWED_ZH = (
    "只允许 x、数字、+ − * / ^、括号，以及 sin cos tan exp log sqrt abs tanh sinh cosh atan pi e"
)
ALLOWED_EN = (
    "only x, numbers, + - * / ^, parentheses and "
    "sin cos tan exp log sqrt abs tanh sinh cosh atan pi e are allowed"
)


def fields(template: str) -> set[tuple[str, str, str]]:
    """The format fields of ``template``: (name, format spec, conversion)."""
    return {
        (name, spec or "", conv or "")
        for _, name, spec, conv in string.Formatter().parse(template)
        if name is not None
    }


# --- the templates -------------------------------------------------------------------------
def test_every_code_has_an_english_and_a_chinese_template():
    assert set(ERRORS_ZH) == set(MESSAGES)
    for code in MESSAGES:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", code), code
        assert MESSAGES[code].strip() and ERRORS_ZH[code].strip(), code


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_chinese_template_has_the_english_fields(code):
    assert fields(ERRORS_ZH[code]) == fields(MESSAGES[code])


def test_template_fields_are_compared():
    assert fields("第 {column} 列的 {token!r}") == {("column", "", ""), ("token", "", "r")}
    assert fields("{limit:,.0f}") != fields("{limit}")
    assert fields("{value!r}") != fields("{value}")


# Names and symbols a Chinese message may keep: the expression language, Python's
# literals, setting names and Unicode terms; every other Latin word is untranslated.
KEPT_NAMES = {
    *custom.FUNCS,
    *custom.CONSTANTS,
    "x",
    "x0",
    "y_axis",
    "summary",
    "True",
    "False",
    "Nesterov",
    "ASCII",
    "U",
}


@pytest.mark.parametrize("code", sorted(ERRORS_ZH))
def test_chinese_template_is_chinese_but_for_names_and_symbols(code):
    zh = ERRORS_ZH[code]
    assert CJK.search(zh), zh
    prose = re.sub(r"\{[^{}]*\}", " ", zh)  # the params are data, not words
    words = set(re.findall(r"[A-Za-z_][A-Za-z_0-9]*", prose))
    assert words <= KEPT_NAMES, words - KEPT_NAMES
    assert not CJK.search(MESSAGES[code])


# --- each code, raised by a real call ------------------------------------------------------
class Case(NamedTuple):
    code: str
    trigger: Callable[[pytest.MonkeyPatch], Any]
    params: dict
    en: str
    zh: str


def _objective(bounds=(0.0, 1.0), x0=0.5, f=lambda x: x * x):
    return functions.Objective("t", "t", "t", f, f, f, bounds, x0)


def _expr(text, bounds=(-5.0, 5.0), x0=None):
    return lambda mp: functions.from_expression(text, bounds, x0=x0)


def _run(name, steps=10, **kw):
    return lambda mp: optimizers.run(name, "quadratic", steps=steps, **kw)


def _too_slow(mp):
    mp.setattr(custom, "MAX_SECONDS", -1.0)  # any expression is now too slow
    functions.from_expression("x^2", (-1.0, 1.0))


def _grammar_gap(mp):
    # Defence in depth: if the grammar check ever let bad source through, Python's
    # parser says where, in the user's columns.
    mp.setattr(custom, "_to_python", lambda tokens: ("x x ", [1, 1, 3, 3]))
    functions.from_expression("x", (-1.0, 1.0))


def _export_batched(mp):
    tr = optimizers.run("gd", "quadratic", x0=np.array([1.0, 2.0]), steps=10)
    exports.trajectories_csv([Run("gd", "GD", tr)])


def _sweep_metric(mp):
    sw = explore.sweep(Config(), "gd", "x0", n=2)
    explore.sweep_figure(sw, "speed", "en")


CASES = [
    Case(
        "not_a_string",
        _expr(None),
        {"type": "NoneType"},
        "expression must be a string, not NoneType",
        "表达式必须是字符串，而不是 NoneType",
    ),
    Case("empty_expression", _expr("  "), {}, "empty expression", "表达式为空"),
    Case(
        "too_long",
        _expr("+".join(["x"] * 101)),
        {"length": 201, "limit": 200},
        "expression too long: 201 characters (at most 200)",
        "表达式太长：201 个字符（最多 200 个）",
    ),
    Case(
        "non_ascii",
        _expr("2*\uff58"),
        {
            "char": "ｘ",
            "codepoint": 0xFF58,
            "char_name": "FULLWIDTH LATIN SMALL LETTER X",
            "column": 3,
        },
        "non-ASCII character 'ｘ' (U+FF58 FULLWIDTH LATIN SMALL LETTER X) at column 3 is not "
        "allowed; type plain ASCII such as x, 2, +",
        "第 3 列的非 ASCII 字符 'ｘ'（U+FF58 FULLWIDTH LATIN SMALL LETTER X）不允许使用；"
        "请只输入 ASCII 字符，例如 x、2、+",
    ),
    Case(
        "bad_character",
        _expr("x % 2"),
        {"char": "%", "column": 3},
        "character '%' at column 3 is not allowed; " + ALLOWED_EN,
        "第 3 列的字符 '%' 不允许使用；" + ALLOWED_ZH,
    ),
    Case(
        "keyword",
        _expr("x and 1"),
        {"name": "and", "column": 3},
        "'and' is not allowed (column 3); " + ALLOWED_EN,
        "第 3 列：不允许使用 'and'；" + ALLOWED_ZH,
    ),
    Case(
        "unknown_name",
        _expr("__import__('os')"),
        {"name": "__import__", "column": 1},
        "unknown name '__import__' at column 1; " + ALLOWED_EN,
        "第 1 列的名称 '__import__' 未知；" + ALLOWED_ZH,
    ),
    Case(
        "unknown_name_product",
        _expr("xx"),
        {"name": "xx", "column": 1, "product": "x*x"},
        "unknown name 'xx' at column 1 (write products with *, e.g. x*x); " + ALLOWED_EN,
        "第 1 列的名称 'xx' 未知（乘法请写出 *，例如 x*x）；" + ALLOWED_ZH,
    ),
    Case(
        "number_too_large",
        _expr("1e400"),
        {"number": "1e400", "column": 1, "limit": 1e6},
        "number 1e400 at column 1 is too large (at most 1,000,000)",
        "第 1 列的数字 1e400 太大（最多 1,000,000）",
    ),
    Case(
        "needs_parenthesis",
        _expr("sin x"),
        {"name": "sin", "column": 1},
        "sin at column 1 must be followed by '('",
        "第 1 列的 sin 后面必须跟 '('",
    ),
    Case(
        "unmatched_parenthesis",
        _expr("x + 1)"),
        {"column": 6},
        "unexpected ')' at column 6: no matching '('",
        "第 6 列的 ')' 没有匹配的 '('",
    ),
    Case(
        "missing_operator",
        _expr("2 3"),
        {"token": "3", "column": 3},
        "unexpected '3' at column 3: missing operator?",
        "第 3 列的 '3' 前缺少运算符？",
    ),
    Case(
        "unexpected_token",
        _expr("x // 2"),
        {"token": "/", "column": 4},
        "unexpected '/' at column 4",
        "第 4 列出现意外的 '/'",
    ),
    Case(
        "empty_parentheses",
        _expr("()"),
        {"column": 1},
        "empty parentheses at column 1",
        "第 1 列的括号是空的",
    ),
    Case(
        "ends_unexpectedly",
        _expr("x +"),
        {"token": "+", "column": 3},
        "expression ends unexpectedly after '+' at column 3",
        "表达式在第 3 列的 '+' 之后意外结束",
    ),
    Case(
        "unclosed_parenthesis",
        _expr("(x + 1"),
        {"column": 1},
        "'(' at column 1 is never closed",
        "第 1 列的 '(' 没有闭合",
    ),
    Case(
        "too_deep_at",
        _expr("(" * 31 + "x" + ")" * 31),
        {"column": 31, "limit": 30},
        "too deeply nested at column 31 (at most 30 levels)",
        "第 31 列嵌套太深（最多 30 层）",
    ),
    Case(
        "too_deep",
        _expr("-" * 31 + "x"),
        {"limit": 30},
        "too deeply nested (at most 30 levels)",
        "嵌套太深（最多 30 层）",
    ),
    Case(
        "syntax_error",
        _grammar_gap,
        {"column": 3},
        "syntax error at column 3",
        "第 3 列有语法错误",
    ),
    Case(
        "exponent_too_large",
        _expr("9**9**9"),
        {"exponent": "9 ^ 9 = 3.8742e+08", "column": 4, "limit": 100},
        "exponent 9 ^ 9 = 3.8742e+08 too large at column 4 (at most 100)",
        "第 4 列的指数 9 ^ 9 = 3.8742e+08 太大（最多 100）",
    ),
    # The tokenizer stops these two first; the walker checks again any AST it is given.
    Case(
        "constant_too_large",
        lambda mp: custom._build(ast.parse("2000000", mode="eval")),
        {"column": 1},
        "number at column 1 is too large",
        "第 1 列的数字太大",
    ),
    Case(
        "node_not_allowed",
        lambda mp: custom._build(ast.parse("x < 1", mode="eval")),
        {"node": "Compare", "source": "x < 1", "column": 1},
        "Compare 'x < 1' at column 1 is not allowed; " + ALLOWED_EN,
        "第 1 列：不允许使用 Compare 'x < 1'；" + ALLOWED_ZH,
    ),
    Case(
        "undefined",
        _expr("x + log(0)"),
        {"expression": "log(0)", "column": 5, "value": -np.inf},
        "log(0) at column 5 is undefined or too large (-inf)",
        "第 5 列的 log(0) 无定义或太大（-inf）",
    ),
    Case(
        "too_slow",
        _too_slow,
        {"expression": "x^2"},
        "'x^2' is too slow to evaluate; try a shorter expression",
        "'x^2' 计算太慢；请换一个更短的表达式",
    ),
    Case(
        "nowhere_finite",
        _expr("log(x)", (-5, -1)),
        {"expression": "log(x)", "lo": -5.0, "hi": -1.0},
        "'log(x)' is not finite anywhere on [-5, -1]; choose other bounds",
        "'log(x)' 在 [-5, -1] 上处处无定义；请换一个区间",
    ),
    Case(
        "bounds_not_numbers",
        _expr("x^2", "ab"),
        {"bounds": "ab"},
        "bounds must be two numbers (lo, hi), not 'ab'",
        "区间必须是两个数字（下界，上界），而不是 'ab'",
    ),
    Case(
        "bad_bounds",
        _expr("x^2", (2, 1)),
        {"bounds": (2, 1)},
        "invalid bounds (2, 1): need finite lo < hi",
        "区间 (2, 1) 无效：需要有限的下界 < 上界",
    ),
    Case(
        "bounds_too_wide",
        _expr("x^2", (0, 2e6)),
        {"width": 2e6, "limit": 1e6},
        "bounds too wide: width 2e+06 (at most 1e+06)",
        "区间太宽：宽度 2e+06（最多 1e+06）",
    ),
    Case(
        "x0_not_a_number",
        _expr("x^2", (0, 1), x0="a"),
        {"value": "a"},
        "x0 must be a number, not 'a'",
        "x0 必须是数字，而不是 'a'",
    ),
    Case(
        "x0_outside",
        _expr("x^2", (0, 1), x0=2),
        {"value": 2.0, "lo": 0.0, "hi": 1.0},
        "x0 = 2 is outside the bounds [0, 1]",
        "x0 = 2 不在区间 [0, 1] 内",
    ),
    Case(
        "objective_bounds",
        lambda mp: _objective(bounds=(1.0, 0.0)),
        {"bounds": (1.0, 0.0)},
        "Invalid bounds: (1.0, 0.0); need finite lo < hi",
        "区间 (1.0, 0.0) 无效：需要有限的下界 < 上界",
    ),
    Case(
        "objective_x0",
        lambda mp: _objective(x0=2.0),
        {"value": 2.0, "lo": 0.0, "hi": 1.0},
        "Invalid x0: 2.0; must lie in [0.0, 1.0]",
        "x0 的取值 2.0 无效；必须在 [0.0, 1.0] 内",
    ),
    Case(
        "objective_not_finite",
        lambda mp: _objective(f=lambda x: np.full_like(x, np.nan)),
        {},
        "The function is not finite anywhere on its bounds",
        "函数在它的区间上处处无定义",
    ),
    Case(
        "unknown_function",
        lambda mp: optimizers.run("gd", "bowl"),
        {
            "name": "bowl",
            "choices": "article, quadratic, cliff, saddle, double_well, rastrigin, pseudo_huber",
        },
        "Unknown function 'bowl'; choose one of article, quadratic, cliff, saddle, double_well, "
        "rastrigin, pseudo_huber",
        "未知的函数 'bowl'；可选：article, quadratic, cliff, saddle, double_well, rastrigin, "
        "pseudo_huber",
    ),
    Case(
        "unknown_optimizer",
        _run("sgdx"),
        {
            "name": "sgdx",
            "choices": "gd, sgd, minibatch, momentum, adagrad, rmsprop, adam, adamw, nadam, "
            "radam, adamax, adabelief, lion, sf_sgd, sf_adamw, prodigy, newton, newton_reg",
        },
        "Unknown optimizer 'sgdx'; choose one of gd, sgd, minibatch, momentum, adagrad, rmsprop, "
        "adam, adamw, nadam, radam, adamax, adabelief, lion, sf_sgd, sf_adamw, prodigy, newton, "
        "newton_reg",
        "未知的优化器 'sgdx'；可选：gd, sgd, minibatch, momentum, adagrad, rmsprop, adam, adamw, "
        "nadam, radam, adamax, adabelief, lion, sf_sgd, sf_adamw, prodigy, newton, newton_reg",
    ),
    Case(
        "unknown_gallery",
        lambda mp: gallery.get("sgd"),
        {"name": "sgd", "choices": "gd, momentum, adagrad, rmsprop, adam, newton_reg"},
        "Unknown gallery 'sgd'; choose one of gd, momentum, adagrad, rmsprop, adam, newton_reg",
        "未知的扫描 'sgd'；可选：gd, momentum, adagrad, rmsprop, adam, newton_reg",
    ),
    Case(
        "unknown_lesson",
        lambda mp: lessons.get("nope"),
        {"name": "nope", "choices": ", ".join(lessons.LESSONS_BY_ID)},
        "Unknown lesson 'nope'; choose one of " + ", ".join(lessons.LESSONS_BY_ID),
        "未知的课程 'nope'；可选：" + ", ".join(lessons.LESSONS_BY_ID),
    ),
    Case(
        "unknown_language",
        lambda mp: explain.explanation("gd", "de"),
        {"name": "de", "choices": "en, zh"},
        "Unknown language 'de'; choose one of en, zh",
        "未知的语言 'de'；可选：en, zh",
    ),
    Case(
        "unknown_hparam",
        lambda mp: optimizers.get("adam").hparam("momentum"),
        {"name": "momentum", "optimizer": "adam"},
        "Unknown hyperparameter 'momentum' for adam",
        "adam 没有超参数 'momentum'",
    ),
    Case(
        "unexpected_hparam",
        _run("gd", beta=0.9),
        {"name": "beta", "optimizer": "gd", "choices": "lr"},
        "Unknown hyperparameter 'beta' for gd; it takes lr",
        "gd 没有超参数 'beta'；它接受：lr",
    ),
    Case(
        "not_bool",
        _run("momentum", nesterov=1),
        {"name": "nesterov", "value": 1},
        "Invalid nesterov: 1; must be True or False",
        "nesterov 的取值 1 无效；必须是 True 或 False",
    ),
    Case(
        "not_a_number",
        _run("gd", lr="fast"),
        {"name": "lr", "value": "fast"},
        "Invalid lr: 'fast'; must be a number",
        "lr 的取值 'fast' 无效；必须是数字",
    ),
    Case(
        "not_integer",
        _run("sgd", seed=1.5),
        {"name": "seed", "value": 1.5},
        "Invalid seed: 1.5; must be an integer",
        "seed 的取值 1.5 无效；必须是整数",
    ),
    Case(
        "not_finite",
        lambda mp: explore.sweep_config(Config(), "gd", "x0", 0.1, float("inf")),
        {"name": "x0", "value": np.inf},
        "Invalid x0: inf; must be a finite number",
        "x0 的取值 inf 无效；必须是有限的数字",
    ),
    Case(
        "not_finite",
        _run("gd", x0=[1.0, np.nan]),
        {"name": "x0", "value": [1.0, np.nan]},
        "Invalid x0: [1.0, nan]; must be a finite number",
        "x0 的取值 [1.0, nan] 无效；必须是有限的数字",
    ),
    Case(
        "out_of_range",
        _run("gd", lr=-1.0),
        {"name": "lr", "value": -1.0, "range": "[0, inf)"},
        "Invalid lr: -1.0; allowed range [0, inf)",
        "lr 的取值 -1.0 无效；允许范围 [0, inf)",
    ),
    Case(
        "out_of_range",
        _run("gd", steps=0),
        {"name": "steps", "value": 0, "range": "[1, 100000]"},
        "Invalid steps: 0; allowed range [1, 100000]",
        "steps 的取值 0 无效；允许范围 [1, 100000]",
    ),
    Case(
        "out_of_range",
        lambda mp: step_view.inspect_step(
            "gd", optimizers.run("gd", "quadratic", steps=10), 11, {}
        ),
        {"name": "t", "value": 11, "range": "[1, 10]"},
        "Invalid t: 11; allowed range [1, 10]",
        "t 的取值 11 无效；允许范围 [1, 10]",
    ),
    Case(
        "integer_too_small",
        lambda mp: explore.sweep(Config(), "gd", "x0", n=1),
        {"name": "n", "value": 1, "minimum": 2},
        "Invalid n: 1; need an integer >= 2",
        "n 的取值 1 无效；需要 >= 2 的整数",
    ),
    Case(
        "bad_choice",
        _sweep_metric,
        {"name": "metric", "value": "speed", "choices": "f, distance, settled"},
        "Invalid metric: 'speed'; choose one of f, distance, settled",
        "metric 的取值 'speed' 无效；可选：f, distance, settled",
    ),
    Case(
        "nesterov",
        _run("momentum", momentum=0.0, nesterov=True),
        {},
        "Invalid nesterov: True; Nesterov needs momentum > 0 and dampening 0",
        "Nesterov 需要动量 > 0 且阻尼为 0",
    ),
    Case(
        "batch_too_large",
        _run("gd", steps=1000, x0=np.zeros(10_000)),
        {"runs": 10_000, "steps": 1000, "limit": 10_000_000},
        "Invalid batch: 10000 runs x 1000 steps is too much to record; at most 10000000 values, "
        "or pass summary=True",
        "批量太大：10000 次运行 × 1000 步无法全部记录；最多 10000000 个值，或传入 summary=True",
    ),
    Case(
        "too_many_seeds",
        _run("sgd", steps=2001, seed=np.arange(5000), summary=True),
        {"seeds": 5000, "steps": 2001, "limit": 10_000_000},
        "Invalid seed: 5000 distinct seeds x 2001 steps is too many; at most 10000000 noise values",
        "随机种子太多：5000 个不同的种子 × 2001 步；最多 10000000 个噪声值",
    ),
    Case(
        "no_lr_to_schedule",
        _run("newton", schedule=optimizers.schedule("cosine")),
        {"name": "newton"},
        "Invalid schedule: 'newton' has no learning rate to schedule",
        "调度无效：'newton' 没有可调度的学习率",
    ),
    Case(
        "onecycle_too_short",
        _run("gd", steps=200, schedule=optimizers.schedule("onecycle", total_steps=100)),
        {"total_steps": 100, "steps": 200},
        "Invalid total_steps: 100; OneCycleLR cannot run 200 steps, so total_steps must be at "
        "least the steps",
        "周期步数 100 无效：单周期调度无法运行 200 步，周期步数至少要等于步数",
    ),
    Case(
        "onecycle_phases",
        _run("gd", schedule=optimizers.schedule("onecycle", total_steps=10, pct_start=0.1)),
        {"total_steps": 10, "pct_start": 0.1},
        "Invalid pct_start: 0.1 of total_steps 10 leaves a phase of OneCycleLR shorter than "
        "one step",
        "上升比例 0.1 无效：乘以周期步数 10 后，单周期调度的某个阶段不足一步",
    ),
    Case(
        "no_lr_to_sweep",
        lambda mp: explore.sweep(Config(), "newton", "x0"),
        {"name": "newton"},
        "Invalid optimizer: 'newton' has no learning rate to sweep",
        "'newton' 没有可以扫描的学习率",
    ),
    Case(
        "bad_sweep_axis",
        lambda mp: explore.sweep(Config(), "gd", "beta1"),
        {"value": "beta1", "optimizer": "gd", "choices": "x0"},
        "Invalid y_axis: 'beta1'; gd sweeps one of x0",
        "y_axis 的取值 'beta1' 无效；gd 可以扫描：x0",
    ),
    Case(
        "not_noisy",
        lambda mp: explore.ensemble(Config(), "gd"),
        {"name": "gd", "choices": "sgd, minibatch"},
        "Invalid optimizer: 'gd'; ensembles need one of sgd, minibatch",
        "'gd' 不能做噪声集合；噪声集合需要以下之一：sgd, minibatch",
    ),
    Case(
        "need_full_run",
        lambda mp: step_view.inspect_step(
            "gd", optimizers.run("gd", "quadratic", steps=10, summary=True), 1, {}
        ),
        {},
        "Invalid trajectory: need one full (not summary, not batched) run",
        "轨迹无效：需要一次完整的运行（不是摘要，也不是批量）",
    ),
    Case(
        "wrong_optimizer",
        lambda mp: step_view.inspect_step(
            "adam", optimizers.run("gd", "quadratic", steps=10), 1, {}
        ),
        {"ran": "gd", "name": "adam"},
        "Invalid trajectory: it ran 'gd', not 'adam'",
        "轨迹无效：它运行的是 'gd'，不是 'adam'",
    ),
    Case(
        "export_needs_full_run",
        _export_batched,
        {"name": "gd"},
        "Invalid run 'gd': exports need a full, unbatched trajectory (one x0 and scalar "
        "hyperparameters, summary=False)",
        "运行 'gd' 无效：导出需要一条完整、不分批的轨迹（一个 x0、标量超参数、summary=False）",
    ),
]


def _same(a, b) -> bool:
    """Params equal, nan equal to nan (a nan x0 is reported as nan)."""
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (np.isnan(a) and np.isnan(b))
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return type(a) is type(b) and len(a) == len(b) and all(map(_same, a, b))
    return type(a) is type(b) and a == b


@pytest.mark.parametrize("case", CASES, ids=[f"{i:02d}-{c.code}" for i, c in enumerate(CASES)])
def test_each_code_is_raised_with_its_params_and_reads_in_both_languages(case, monkeypatch):
    with pytest.raises(LabError) as info:
        case.trigger(monkeypatch)
    error = info.value
    assert isinstance(error, ValueError)
    assert error.code == case.code
    assert error.params.keys() == case.params.keys()
    for key, value in case.params.items():
        assert _same(error.params[key], value), (key, error.params[key], value)
    assert str(error) == case.en
    assert error_text(error, "en") == case.en
    chinese = error_text(error, "zh")
    assert chinese == case.zh
    assert "{" not in chinese and "}" not in chinese
    # Every column the message names survives the translation.
    assert re.findall(r"column (\d+)", case.en) == re.findall(r"第 (\d+) 列", chinese)


def test_every_code_is_raised_somewhere_and_tested():
    raised = {code for _, code in _lab_errors()}
    assert raised == set(MESSAGES), (
        "dead",
        set(MESSAGES) - raised,
        "unknown",
        raised - set(MESSAGES),
    )
    assert {case.code for case in CASES} == set(MESSAGES)


# --- no plain ValueError left in the core --------------------------------------------------
def _core_files() -> list[pathlib.Path]:
    files = sorted(p for d in CORE for p in (ROOT / d).rglob("*.py"))
    assert len(files) > 15, files  # the scan sees the packages
    return files


def _raises(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            yield node, exc


def _lab_errors():
    """(file, code) of every ``LabError(...)`` built in the core."""
    for path in _core_files():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "LabError":
                first = node.args[0] if node.args else None
                assert isinstance(first, ast.Constant) and isinstance(first.value, str), (
                    f"{path}:{node.lineno}: the code must be a literal string"
                )
                yield path, first.value


def test_the_core_raises_no_plain_value_error():
    plain = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in _core_files()
        for node, exc in _raises(ast.parse(path.read_text(), str(path)))
        if getattr(exc, "id", None) == "ValueError"
    ]
    assert not plain, f"raise LabError(code, **params) instead of ValueError at {plain}"


def test_the_scan_finds_a_plain_value_error():
    bad = ast.parse('def f(v):\n    raise ValueError(f"Invalid lr: {v}")\n')
    assert [getattr(exc, "id", None) for _, exc in _raises(bad)] == ["ValueError"]
    good = ast.parse('def f(v):\n    raise LabError("not_finite", name="lr", value=v)\n')
    assert [getattr(exc, "id", None) for _, exc in _raises(good)] == ["LabError"]


# --- the class -----------------------------------------------------------------------------
def test_other_errors_read_as_raised():
    for lang in ("en", "zh"):
        assert error_text(ValueError("Invalid lr: -1.0; allowed range [0, inf)"), lang) == (
            "Invalid lr: -1.0; allowed range [0, inf)"
        )
        assert error_text(KeyError("x"), lang) == "'x'"
        assert error_text("a message", lang) == "a message"


def test_a_lab_error_pickles_with_its_code_and_params():
    error = LabError("out_of_range", name="lr", value=-1.0, range="[0, inf)")
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is LabError and str(again) == str(error)
    assert (again.code, again.params) == (error.code, error.params)


def test_an_unknown_code_or_a_missing_param_fails_where_raised():
    with pytest.raises(KeyError):
        LabError("no_such_code")
    with pytest.raises(KeyError):
        LabError("out_of_range", name="lr", value=-1.0)
