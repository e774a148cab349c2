"""What a screen reader gets: widget labels without LaTeX, and for each chart a sentence
saying where each run went and its data as a table, in English and Chinese."""

import re

import numpy as np
import pytest

import functions
import optimizers
from tests import reference
from tests.pages import new_page, open_settings
from viz import describe
from viz.figures import Run
from viz.text import hparam_label, symbol_text

SPECS = [*optimizers.OPTIMIZERS.values(), *optimizers.VARIANTS.values()]
LATEX = re.compile(r"[$\\{}^_]")
WIDGETS = ("slider", "select_slider", "toggle", "number_input", "selectbox", "multiselect")


@pytest.mark.parametrize(
    ("latex", "text"),
    [(r"\eta", "η"), (r"\beta_1", "β₁"), (r"\epsilon", "ε"), (r"\lambda", "λ"), ("v_0", "v₀"),
     (r"\text{Nesterov}", "Nesterov"), (r"\Delta", "Δ"), ("B", "B")],
)  # fmt: skip
def test_symbols_read_as_unicode(latex, text):
    assert symbol_text(latex) == text


def test_every_hyperparameter_symbol_reads_as_text():
    for opt in SPECS:
        for hp in opt.hparams:
            assert not LATEX.search(symbol_text(hp.symbol)), (opt.name, hp.symbol)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_widget_label_holds_latex(lang):
    at = open_settings(
        new_page(opt=",".join(optimizers.OPTIMIZERS), lang=lang), *optimizers.OPTIMIZERS
    )
    assert not at.exception
    labels = [w.label for kind in WIDGETS for w in at.get(kind)]
    assert f"{hparam_label('lr', lang)} η" in labels
    assert [label for label in labels if LATEX.search(label)] == []


def gd_run(lr: float, steps: int) -> Run:
    fn = functions.get("article")
    return Run("gd", "Gradient Descent", optimizers.run("gd", fn, -20.0, steps, lr=lr))


def test_the_race_sentence_says_where_each_run_ended():
    fn = functions.get("article")
    slow, fast = gd_run(0.05, 300), gd_run(0.5, 300)
    sentence = describe.landscape_sentence([slow, fast], "en")
    for lr in (0.05, 0.5):
        ref = reference.gd(fn, -20.0, 300, lr)  # a plain loop
        x = ref.x[-1]
        assert f"from x = -20 to x = {x:.4g} (f = {float(fn.f(x)):.4g}) in 300 steps" in sentence
    zh = describe.landscape_sentence([slow], "zh")
    assert zh.startswith("Gradient Descent：300 步内从 x = -20 走到") and zh.endswith("。")


def test_a_diverged_run_says_when():
    fn = functions.get("quadratic")
    traj = optimizers.run("gd", fn, 0.0, 200, lr=5.0)
    ref = reference.gd(fn, 0.0, 200, 5.0)
    assert ref.diverged_at > 0
    sentence = describe.landscape_sentence([Run("gd", "GD", traj)], "en")
    assert f"GD: diverged at step {ref.diverged_at}" in sentence


def test_the_table_holds_the_run_at_round_steps():
    fn = functions.get("article")
    run = gd_run(0.05, 1000)
    table = describe.runs_table([run], "en")
    steps = [0, 50, 100, 150, 200, 250, 300, 350, 400, 450, 500, 550, 600, 650, 700, 750, 800,
             850, 900, 950, 1000]  # fmt: skip
    assert table["Step"].tolist() == steps
    ref = reference.gd(fn, -20.0, 1000, 0.05)
    np.testing.assert_allclose(
        table["Gradient Descent: x"].astype(float), [ref.x[s] for s in steps], rtol=1e-3
    )


def test_the_panels_sentence_names_the_last_state():
    fn = functions.get("article")
    traj = optimizers.run("momentum", fn, -20.0, 100, lr=0.01, momentum=0.9)
    ref = reference.momentum(fn, -20.0, 100, 0.01, 0.9, 0.0)
    v = ref.state["velocity"][-1]
    sentence = describe.panels_sentence([Run("momentum", "M", traj)], "en", "velocity")
    assert sentence.startswith("At step 100: M has f = ")
    assert f"x = {ref.x[-1]:.4g}" in sentence and f"= {v:.4g}." in sentence
