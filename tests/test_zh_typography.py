"""A Chinese page reads as Chinese: no English words left in its strings beyond a short
list of names and symbols, Chinese punctuation between Chinese characters, and no
symbol written twice in a row (a label "ε" beside its symbol ϵ reads "ε ϵ")."""

import importlib
import pkgutil
import re

import pytest

import optimizers
import optimizers.methods
from optimizers.spec import Text
from viz import gallery, lessons, tables, text

SPECS = [*optimizers.OPTIMIZERS.values(), *optimizers.VARIANTS.values()]

# Latin words a Chinese page may keep, each because Chinese text writes it as is.
ALLOWED = {
    # Optimizer names: written in Latin letters in Chinese texts too.
    "Adam", "AdamW", "AdaGrad", "RMSprop", "SGD",
    "NAdam", "RAdam", "Adamax", "AdaBelief", "Lion", "Prodigy",
    # Names of people and functions used as proper nouns: "Nesterov 加速",
    # "Rastrigin 函数", "伪 Huber".
    "Nesterov", "Rastrigin", "Huber",
    # Libraries and languages the page names.
    "torch", "NumPy", "Python", "matplotlib",
    # File formats and character sets the page offers or describes.
    "CSV", "JSON", "HTML", "PNG", "ASCII", "URL",
    # Function names a typed expression may use (listed to the user verbatim).
    "sin", "cos", "tan", "exp", "log", "sqrt", "abs", "tanh", "sinh", "cosh", "atan", "pi",
    # Literals as a program reads them: "必须是 True 或 False", JSON's "记为 null".
    "True", "False", "null",
    # Setting ids and arguments typed literally into a link or a call ("x0 的取值",
    # "lo, hi：下界必须小于上界", "summary=False").
    "x0", "lo", "hi", "lr", "opt", "y_axis", "summary",
    # Symbols and units: NaN, the MB of a file size.
    "NaN", "MB",
}  # fmt: skip

CJK = r"\u3400-\u9fff\uf900-\ufaff"
# A Latin word: 2+ ASCII letters, possibly with digits or _ (so "x0" and "y_axis" are
# one word), not glued to other letters or digits.
LATIN_WORD = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z][A-Za-z0-9_]*[A-Za-z0-9_]")
# ASCII sentence punctuation where Chinese typography uses full-width marks: "." or ","
# right after a Chinese character; ":" or ";" beside Chinese text; "(" ")" around
# Chinese text or glued to it. Maths keeps its ASCII brackets: "f′(x) 移动" is fine.
BAD_PUNCT = re.compile(
    rf"[{CJK}][.,]|[{CJK}]\s*[:;]|[:;]\s*[{CJK}]|[{CJK}]\(|\)[{CJK}]"
    rf"|\([^()]*[{CJK}][^()]*\)"
)
# Variant glyphs of one Greek letter count as the same symbol.
SAME_SYMBOL = str.maketrans({"ϵ": "ε", "ϑ": "θ", "ϕ": "φ", "ϱ": "ρ", "ϖ": "π", "ς": "σ"})
# One Greek symbol twice, as a label beside its own symbol reads.
REPEATED = re.compile(r"([\u0370-\u03ff])\s*\1")
FORMAT_FIELD = re.compile(r"\{[^{}]*\}")


def _text_parts(latex: str) -> list[str]:
    r"""The prose of a LaTeX formula: what its \text{...} parts say."""
    return re.findall(r"\\text\{([^{}]*)\}", latex)


def _method_texts() -> dict[str, str]:
    """Every Chinese text an optimizer module declares outside its spec (inspector notes)."""
    out = {}
    for info in pkgutil.iter_modules(optimizers.methods.__path__):
        module = importlib.import_module(f"optimizers.methods.{info.name}")
        for name, value in vars(module).items():
            if isinstance(value, Text):
                out[f"optimizers.methods.{info.name}.{name}"] = value.zh
    return out


def chinese_strings() -> dict[str, str]:
    """Every Chinese string the page can show, keyed by where it lives."""
    out = {f"STRINGS[{k!r}]": v["zh"] for k, v in text.STRINGS.items()}
    out |= {f"ERRORS_ZH[{k!r}]": v for k, v in text.ERRORS_ZH.items()}
    out |= {f"FUNCTION_LABELS_ZH[{k!r}]": v for k, v in text.FUNCTION_LABELS_ZH.items()}
    for opt in SPECS:
        out[f"{opt.name}.label_zh"] = opt.label_zh
        out[f"{opt.name}.idea"] = opt.idea.zh
        out[f"{opt.name}.failure"] = opt.failure.zh
        for s in opt.recorded:
            out[f"{opt.name}.state {s.field}"] = s.label.zh
        for hp in opt.hparams:
            out[f"{opt.name}.{hp.name}.label_zh"] = hp.label_zh
            out[f"{opt.name}.{hp.name}.help_zh"] = hp.help_zh
            # The control's label, as ui.controls writes it (a switch: its name alone).
            symbol = "" if hp.kind == "bool" else " " + text.symbol_text(hp.symbol)
            out[f"{opt.name}.{hp.name} control"] = hp.label_zh + symbol
        for i, part in enumerate(_text_parts(tables.formula_latex(opt, opt.defaults, "zh"))):
            out[f"{opt.name} formula text {i}"] = part
    out |= _method_texts()
    for kind in optimizers.SCHEDULES.values():
        out[f"schedule {kind.name} label"] = kind.label.zh
        out[f"schedule {kind.name} note"] = kind.note.zh
        for p in kind.params:
            out[f"schedule {kind.name}.{p.name}.label_zh"] = p.label_zh
            out[f"schedule {kind.name}.{p.name}.help_zh"] = p.help_zh
        latex = tables.schedule_latex(kind.name, kind.defaults, "zh")
        for i, part in enumerate(_text_parts(latex)):
            out[f"schedule {kind.name} formula text {i}"] = part
    for lesson in lessons.LESSONS:
        out[f"lesson {lesson.id} title"] = lesson.title["zh"]
        out[f"lesson {lesson.id} look_for"] = lesson.look_for["zh"]
    for g in gallery.GALLERIES:
        out[f"gallery {g.id} title"] = g.title["zh"]
        out[f"gallery {g.id} name"] = g.name["zh"]
    return out


def _prose(s: str) -> str:
    """``s`` without format fields, code (`...`), inline math ($...$), LaTeX commands and
    Plotly's line break (<br>)."""
    s = FORMAT_FIELD.sub(" ", s).replace("<br>", " ")
    s = re.sub(r"`[^`]*`", " ", s)  # code, as typed: `scheduler.step()`
    s = re.sub(r"\$[^$]*\$", " ", s)
    return re.sub(r"\\[A-Za-z]+", " ", s)


def problems(s: str) -> list[str]:
    """What reads as not Chinese in the Chinese string ``s``."""
    prose = _prose(s)
    found = [f"English word {w!r}" for w in LATIN_WORD.findall(prose) if w not in ALLOWED]
    found += [f"ASCII punctuation {m.group()!r}" for m in BAD_PUNCT.finditer(prose)]
    found += [
        f"repeated symbol {m.group()!r}" for m in REPEATED.finditer(prose.translate(SAME_SYMBOL))
    ]
    return found


STRINGS_ZH = chinese_strings()


@pytest.mark.parametrize("where", sorted(STRINGS_ZH))
def test_chinese_strings_have_no_stray_english(where):
    assert not problems(STRINGS_ZH[where]), (where, STRINGS_ZH[where], problems(STRINGS_ZH[where]))


def test_the_check_catches_what_it_is_for():
    assert problems("偏差修正 bias correction")
    assert problems("bias correction: 除以 1 − βᵗ")
    assert problems("torch 中的 alpha")
    assert problems("步长变小.然后停下")
    assert problems("步长变小,然后停下")
    assert problems("步长(η)变小")
    assert problems("ε ϵ")
    assert not problems("AdamW 在第 {step} 步停在 x = {x:.4g}，$\\eta$ 为 0.1。")
    assert not problems("只允许 sin cos、数字和 x0")
