"""Every user-facing text exists in every language, non-empty, with the same
placeholders in each, and every id the page can show has its Chinese."""

import re
import string

import pytest

import functions
import optimizers
from viz import explain, lessons, text
from viz.config import LANGUAGES

CJK = re.compile(r"[\u4e00-\u9fff]")
HPARAM_IDS = sorted({hp.name for opt in optimizers.OPTIMIZERS.values() for hp in opt.hparams})
SPECS = [*optimizers.OPTIMIZERS.values(), *optimizers.VARIANTS.values()]


def placeholders(s: str) -> set[tuple[str, str, str]]:
    """The format fields of ``s``: (name, format spec, conversion), e.g. ('x', '.4g', '')."""
    return {
        (name, spec or "", conv or "")
        for _, name, spec, conv in string.Formatter().parse(s)
        if name is not None
    }


def all_translations() -> dict[str, dict[str, str]]:
    """Every {language: text} mapping the page shows, keyed by where it lives."""
    out = {f"STRINGS[{k!r}]": v for k, v in text.STRINGS.items()}
    for opt in SPECS:
        for part in ("idea", "failure"):
            out[f"{opt.name}.{part}"] = getattr(opt, part)._asdict()
    for lesson in lessons.LESSONS:
        out[f"lesson {lesson.id} title"] = lesson.title
        out[f"lesson {lesson.id} look_for"] = lesson.look_for
    return out


TRANSLATIONS = all_translations()


@pytest.mark.parametrize("where", sorted(TRANSLATIONS))
def test_every_language_present_and_non_empty(where):
    value = TRANSLATIONS[where]
    assert set(value) == set(LANGUAGES), f"{where}: languages {sorted(value)}"
    for lang in LANGUAGES:
        assert isinstance(value[lang], str) and value[lang].strip(), f"{where} [{lang}] is empty"


@pytest.mark.parametrize("where", sorted(TRANSLATIONS))
def test_placeholders_match_across_languages(where):
    value = TRANSLATIONS[where]
    fields = {lang: placeholders(value[lang]) for lang in LANGUAGES}
    assert fields["zh"] == fields["en"], f"{where}: {fields}"


def test_every_string_formats_with_its_own_placeholders():
    for key, value in text.STRINGS.items():
        for lang in LANGUAGES:
            names = {name for name, _, _ in placeholders(value[lang])}
            sample = {name: 1.5 for name in names}
            assert text.t(key, lang, **sample), key


def test_placeholders_are_checked():
    assert placeholders("ended at x = {x:.4g}") == {("x", ".4g", "")}
    assert placeholders("第 {step} 步发散") == {("step", "", "")}
    assert placeholders("{label}：{error}") != placeholders("{label}: {eror}")


def test_prose_is_in_its_own_language():
    """Explanations and lessons are prose: the Chinese must be Chinese, the English
    free of Chinese (a pasted wrong language would pass the other checks)."""
    for where, value in TRANSLATIONS.items():
        if where.startswith("STRINGS"):
            continue
        assert CJK.search(value["zh"]), f"{where} [zh] has no Chinese"
        assert not CJK.search(value["en"]), f"{where} [en] has Chinese"
        assert value["zh"] != value["en"]


def test_chinese_labels_cover_every_optimizer_and_function():
    assert set(text.FUNCTION_LABELS_ZH) == set(functions.FUNCTIONS) | set(functions.VARIANTS)
    for label in [*(opt.label_zh for opt in SPECS), *text.FUNCTION_LABELS_ZH.values()]:
        assert label.strip()
    for name in [opt.name for opt in SPECS]:
        for lang in LANGUAGES:
            assert text.optimizer_label(name, lang).strip()
    for name in [*functions.FUNCTIONS, *functions.VARIANTS]:
        for lang in LANGUAGES:
            assert text.function_label(name, lang).strip()


@pytest.mark.parametrize("hp", HPARAM_IDS)
def test_every_hyperparameter_has_names_and_help(hp):
    for opt in SPECS:
        for spec in opt.hparams:
            if spec.name == hp:
                assert spec.help.strip() and spec.help_zh.strip()
                assert spec.label.strip() and spec.label_zh.strip()
                for lang in LANGUAGES:
                    assert text.hparam_help(spec, lang).strip()
                    assert text.hparam_label(hp, lang).strip()


def test_every_state_field_has_a_label():
    fields = {f for opt in SPECS for f, _ in opt.state_labels}
    for field in fields:
        for lang in LANGUAGES:
            assert text.t(f"state.{field}", lang).strip(), field
            assert text.t(f"state.{field}", lang) == text.state_label(field, lang)
    with pytest.raises(KeyError):
        text.t("state.nonsense", "en")


@pytest.mark.parametrize("name", [opt.name for opt in SPECS])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_optimizer_is_explained(name, lang):
    opt = optimizers.get(name)
    out = explain.explanation(name, lang)
    assert out["idea"] == opt.idea.get(lang)
    assert out["failure"] == opt.failure.get(lang)
    specs = opt.hparams
    assert [symbol for symbol, _ in out["hparams"]] == [hp.symbol for hp in specs]
    for (_, help_text), hp in zip(out["hparams"], specs, strict=True):
        assert help_text == (hp.help if lang == "en" else hp.help_zh)


def test_explanation_refuses_unknown_names():
    with pytest.raises(ValueError, match="Unknown optimizer 'sgdx'"):
        explain.explanation("sgdx", "en")
    with pytest.raises(ValueError, match="Unknown language 'de'"):
        explain.explanation("gd", "de")


def sentences(en: str, zh: str) -> tuple[int, int]:
    """How many sentences an English and a Chinese text have."""
    return (
        len([s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", en.strip()) if s]),
        len(re.findall(r"[。！？]", zh)),
    )


@pytest.mark.parametrize("lesson", lessons.LESSONS, ids=lambda lesson: lesson.id)
def test_lesson_texts_are_two_or_three_sentences(lesson):
    en, zh = sentences(lesson.look_for["en"], lesson.look_for["zh"])
    assert 2 <= en <= 3 and 2 <= zh <= 3, (en, zh)


@pytest.mark.parametrize("name", [opt.name for opt in SPECS])
def test_ideas_are_two_sentences(name):
    idea = optimizers.get(name).idea
    assert sentences(idea.en, idea.zh) == (2, 2)


@pytest.mark.parametrize(
    "bad",
    ["import os", "x^", "(x", "xx", "9**9**9", "sin x", "x)", "", "x" * 201, "2 3", "()", "1/0"],
)
def test_expression_errors_read_in_chinese(bad):
    from errors import LabError
    from functions import from_expression
    from viz.text import error_text

    with pytest.raises(LabError) as info:
        from_expression(bad, (-5.0, 5.0))
    error = info.value
    english, chinese = str(error), error_text(error, "zh")
    assert error_text(error, "en") == english
    # Translated from the code and params, never from the English text.
    assert chinese == text.ERRORS_ZH[error.code].format(**error.params)
    assert CJK.search(chinese) and "{" not in chinese, chinese
    # Every column number the message names survives the translation.
    assert re.findall(r"column (\d+)", english) == re.findall(r"第 (\d+) 列", chinese)
