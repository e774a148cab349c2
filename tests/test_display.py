"""Each optimizer's module carries everything the page shows about it, and the registry
finds every module: adding an optimizer is its own file and its tests."""

import re
import sys
import textwrap

import plotly.graph_objects as go
import pytest

import functions
import optimizers
from optimizers import methods
from optimizers.latex import num
from viz import text
from viz.config import LANGUAGES
from viz.step_view import inspect_step

PICKER = [
    "gd",
    "sgd",
    "minibatch",
    "momentum",
    "adagrad",
    "rmsprop",
    "adam",
    "adamw",
    "nadam",
    "radam",
    "adamax",
    "adabelief",
    "lion",
    "sf_sgd",
    "sf_adamw",
    "prodigy",
    "newton",
    "newton_reg",
]
ARTICLE = ["momentum_article", "adagrad_article", "rmsprop_article", "adam_article"]
SPECS = [optimizers.get(name) for name in PICKER + ARTICLE]
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_picker_order_is_the_specs_order():
    assert list(optimizers.OPTIMIZERS) == PICKER
    orders = [opt.order for opt in optimizers.OPTIMIZERS.values()]
    assert orders == sorted(orders) and len(set(orders)) == len(orders)


def test_article_variants_are_reachable_but_not_in_the_picker():
    for name in ARTICLE:
        assert name not in optimizers.OPTIMIZERS
        assert optimizers.get(name).name == name
        assert optimizers.get(name).order is None
    assert sorted(optimizers.VARIANTS) == sorted(ARTICLE)


@pytest.mark.parametrize("opt", SPECS, ids=lambda o: o.name)
def test_labels_colour_and_marker(opt):
    assert opt.label.strip() and opt.label_zh.strip()
    assert not CJK.search(opt.label)
    assert re.fullmatch(r"#[0-9A-Fa-f]{6}", opt.color), opt.color
    # Figures draw the marker as given and as its open form; Plotly refuses unknown ones.
    go.scatter.Marker(symbol=opt.marker, color=opt.color)
    go.scatter.Marker(symbol=f"{opt.marker}-open")
    for lang in LANGUAGES:
        assert text.optimizer_label(opt.name, lang) == (opt.label if lang == "en" else opt.label_zh)


def test_the_picker_s_optimizers_are_told_apart_by_colour_and_by_marker():
    picker = list(optimizers.OPTIMIZERS.values())
    assert len({opt.color.lower() for opt in picker}) == len(picker)
    assert len({opt.marker for opt in picker}) == len(picker)
    assert (
        len({opt.label for opt in picker}) == len({opt.label_zh for opt in picker}) == len(PICKER)
    )


def test_article_variants_are_drawn_as_the_optimizer_they_vary():
    for name, base in (("momentum_article", "momentum"), ("adam_article", "adam")):
        variant, original = optimizers.get(name), optimizers.get(base)
        assert (variant.color, variant.marker) == (original.color, original.marker)


@pytest.mark.parametrize("opt", SPECS, ids=lambda o: o.name)
def test_explanation_in_both_languages(opt):
    for part in (opt.idea, opt.failure):
        assert part.en.strip() and part.zh.strip()
        assert CJK.search(part.zh) and not CJK.search(part.en)
        for lang in LANGUAGES:
            assert part.get(lang) == getattr(part, lang)


@pytest.mark.parametrize("opt", SPECS, ids=lambda o: o.name)
def test_every_recorded_state_field_has_labels(opt):
    for field in opt.recorded:
        assert field.field and field.symbol.strip()
        assert field.label.en.strip() and field.label.zh.strip()
        for lang in LANGUAGES:
            assert text.state_label(field.field, lang) == field.label.get(lang)
            assert text.t(f"state.{field.field}", lang) == field.label.get(lang)


def test_a_state_field_means_one_thing_everywhere():
    """The page names a state field by its id alone: every spec recording it agrees."""
    seen = {}
    for opt in SPECS:
        for field in opt.recorded:
            assert seen.setdefault(field.field, field) == field, (opt.name, field)


def test_a_hyperparameter_name_has_one_label():
    """``hparam_label`` looks a label up by name: every spec of one name agrees."""
    seen = {}
    for opt in SPECS:
        for hp in opt.hparams:
            assert seen.setdefault(hp.name, (hp.label, hp.label_zh)) == (hp.label, hp.label_zh)


@pytest.mark.parametrize("opt", SPECS, ids=lambda o: o.name)
def test_every_hyperparameter_has_labels_and_help(opt):
    for hp in opt.hparams:
        assert hp.label.strip() and hp.label_zh.strip(), hp.name
        assert hp.help.strip() and hp.help_zh.strip(), hp.name
        assert not CJK.search(hp.help) and CJK.search(hp.help_zh), hp.name
        for lang in LANGUAGES:
            assert text.hparam_label(hp.name, lang) == (hp.label if lang == "en" else hp.label_zh)
            assert text.hparam_help(hp, lang) == (hp.help if lang == "en" else hp.help_zh)


@pytest.mark.parametrize("opt", SPECS, ids=lambda o: o.name)
def test_spec_properties_point_at_real_things(opt):
    names = {hp.name for hp in opt.hparams}
    fields = [f.field for f in opt.recorded]
    assert len(fields) == len(set(fields))
    assert opt.uphill_state is None or opt.uphill_state in fields
    assert not opt.l2_decay or "weight_decay" in names
    assert opt.gradient.startswith("f'(x_{t-1})")


@pytest.mark.parametrize("opt", SPECS, ids=lambda o: o.name)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_inspector_rows_render_at_the_first_and_a_later_step(opt, lang):
    traj = optimizers.run(opt.name, functions.get("quadratic"), x0=2.0, steps=12)
    assert traj.diverged_at < 0
    for t in (1, 7):
        latex = inspect_step(opt.name, traj, t, {}, lang)
        assert latex.startswith(r"\begin{aligned}") and latex.endswith(r"\end{aligned}")
        assert r"x_t &= x_{t-1} + \Delta x_t = " in latex
        assert r"\Delta x_t &= " in latex and "g_t &= f'(x_{t-1})" in latex
        if opt.rows is None:  # the recorded state, one row a field
            for field, symbol in opt.state_labels:
                assert f"{symbol} &= {num(traj.state[field][t - 1])}" in latex
        else:
            rows, step, *_ = opt.rows(
                traj.state,
                t - 1,
                float(traj.grad[t - 1]),
                {**opt.defaults, **traj.hparams},
                float(traj.x[t - 1]),
                lang,
            )
            assert all(isinstance(lhs, str) and rhs.strip() for lhs, rhs in rows)
            assert step.strip()
            for lhs, rhs in rows:
                assert (f"{lhs} &= {rhs}" if lhs else rf"& \quad {rhs}") in latex


def test_a_new_module_in_the_package_is_registered(tmp_path, monkeypatch):
    """Adding an optimizer is adding its module: discovery needs no list."""
    (tmp_path / "halfstep.py").write_text(
        textwrap.dedent(
            """
            from optimizers.common import no_state
            from optimizers.methods.gd import GD, gd_rows
            from optimizers.spec import Optimizer, Text, lr

            HALF = Optimizer(
                name="halfstep",
                label="Half step",
                label_zh="半步",
                order=15,
                latex="x_{t+1} = x_t - \\\\tfrac12 \\\\eta f'(x_t)",
                hparams=(lr(0.1),),
                init=no_state,
                update=lambda x, g, h, s, hp, t: (x - 0.5 * hp["lr"] * g, g, s),
                rows=gd_rows,
                color="#123456",
                marker="cross",
                idea=Text("Half of GD.", "一半。"),
                failure=Text("Slow.", "慢。"),
            )
            """
        )
    )
    monkeypatch.setattr(methods, "__path__", [*methods.__path__, str(tmp_path)])
    try:
        found = {opt.name: opt for opt in methods.discover()}
        assert set(found) == set(PICKER + ARTICLE + ["halfstep"])
        assert found["gd"] is optimizers.get("gd")  # imported by halfstep: found once
        assert found["halfstep"].order == 15
    finally:
        sys.modules.pop("optimizers.methods.halfstep", None)


def test_two_optimizers_of_one_name_are_refused(tmp_path, monkeypatch):
    (tmp_path / "gd_again.py").write_text(
        "from dataclasses import replace\n"
        "from optimizers.methods.gd import GD\n"
        "OTHER = replace(GD, order=999)\n"
    )
    monkeypatch.setattr(methods, "__path__", [*methods.__path__, str(tmp_path)])
    try:
        with pytest.raises(RuntimeError, match="Two optimizers are named 'gd'"):
            methods.discover()
    finally:
        sys.modules.pop("optimizers.methods.gd_again", None)


def test_two_optimizers_in_one_picker_position_are_refused(tmp_path, monkeypatch):
    (tmp_path / "clash.py").write_text(
        "from dataclasses import replace\n"
        "from optimizers.methods.gd import GD\n"
        "CLASH = replace(GD, name='clash')\n"
    )
    monkeypatch.setattr(methods, "__path__", [*methods.__path__, str(tmp_path)])
    try:
        with pytest.raises(RuntimeError, match="share a picker position"):
            methods.discover()
    finally:
        sys.modules.pop("optimizers.methods.clash", None)
