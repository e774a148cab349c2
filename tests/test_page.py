"""The page, run headless with AppTest: every setting gives a working page."""

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

import functions
import optimizers
from bench.browser import WORST_OPTIMIZERS
from tests.pages import formulas, open_settings
from tests.pages import new_page as page
from tests.plotly_json import decode
from viz import checked, figures, gallery, text
from viz.config import DEFAULT_OPTIMIZERS, MAX_UI_STEPS, Config
from viz.lessons import LESSONS, lesson_config, lesson_url_query
from viz.text import optimizer_label, t


def shown(element) -> str:
    """An alert's text as the reader sees it: markdown escapes removed."""
    return element.value.replace("\\", "")


def assert_healthy(at: AppTest) -> dict:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    charts = at.get("plotly_chart")
    assert charts, "no chart drawn"
    return json.loads(charts[0].proto.spec)


def check_markers(spec: dict, cfg: Config) -> None:
    """The moving markers sit exactly on the trajectories at the sampled steps."""
    fn = cfg.objective
    assert len(spec["frames"]) <= figures.MAX_FRAMES
    assert spec["frames"][0]["traces"] == [len(spec["data"]) - 1]
    steps = figures.sampled_steps(cfg.steps)
    for i, name in enumerate(cfg.optimizers):
        traj = optimizers.run(name, fn, cfg.start, cfg.steps, **cfg.hparams_of(name))
        xs = [decode(frame["data"][0]["x"])[i] for frame in spec["frames"]]
        np.testing.assert_array_equal(xs, traj.x[steps])


def test_default_page():
    at = page()
    spec = assert_healthy(at)
    assert not at.warning
    assert len(DEFAULT_OPTIMIZERS) >= 3
    assert at.title[0].value == "Optimizer Lab"
    check_markers(spec, Config())
    assert len(formulas(at)) == 1 + len(DEFAULT_OPTIMIZERS)  # f(x) and each update rule
    table = at.dataframe[0].value
    assert len(table) == len(DEFAULT_OPTIMIZERS)


def layout(at: AppTest) -> list[str]:
    """The kinds of the page's top-level elements, in order."""
    return [type(node).__name__ for node in at.main.children.values()]


def test_a_note_that_comes_and_goes_moves_no_other_element():
    # Adam's lr moved one value among the article's ten: at 1 Adam ends with five others,
    # one note; at 0.8 with RMSprop, a second note. Streamlit matches a rerun's elements
    # by position: had the note moved the rest, the browser would draw every later
    # element anew (ui.slots).
    ten = ",".join(WORST_OPTIMIZERS)
    one, two = (page(opt=ten, **{"adam.lr": lr}) for lr in ("1", "0.8"))
    notes = [
        [c.value for c in at.caption if "too close to tell apart" in c.value] for at in (one, two)
    ]
    assert (len(notes[0]), len(notes[1])) == (1, 2), notes
    assert layout(one) == layout(two)


@pytest.mark.parametrize("name", list(optimizers.OPTIMIZERS))
def test_each_optimizer_alone(name):
    at = page(opt=name)
    check_markers(assert_healthy(at), Config(optimizers=(name,)))


@pytest.mark.parametrize("fn", list(functions.FUNCTIONS))
def test_each_function_with_all_optimizers(fn):
    at = page(fn=fn, opt=",".join(optimizers.OPTIMIZERS))
    spec = assert_healthy(at)
    check_markers(spec, Config(function=fn, optimizers=tuple(optimizers.OPTIMIZERS)))


@pytest.mark.parametrize("end", ["lo", "hi"])
def test_every_control_at_its_extremes(end):
    """Every hyperparameter at its minimum (or maximum), all optimizers, steps at the
    maximum: a working page with any divergence marked, no traceback."""
    query = {
        "opt": ",".join(optimizers.OPTIMIZERS),
        "steps": str(MAX_UI_STEPS),
        "x0": (end == "lo" and "-20") or "20",
    }
    for name, opt in optimizers.OPTIMIZERS.items():
        for hp in opt.hparams:
            # Nesterov is off: with momentum 0 or dampening 1 it is refused (next test).
            value = getattr(hp, end) if hp.kind != "bool" else name == "adam"
            query[f"{name}.{hp.name}"] = str(int(value) if hp.kind != "float" else value)
    at = page(**query)
    spec = assert_healthy(at)
    assert not at.warning  # every value was in range
    cfg, _ = Config.from_query(query)
    check_markers(spec, cfg)
    if end == "hi":  # lr = 100 throws gradient descent out: the page says where
        texts = [a["text"] for a in spec["layout"]["annotations"]]
        assert any("diverged at step" in t for t in texts)


def test_a_refused_combination_is_explained_and_the_rest_still_runs():
    at = page(opt="momentum,adam", **{"momentum.nesterov": "1", "momentum.dampening": "0.5"})
    assert not at.exception
    assert len(at.error) == 1 and "Nesterov needs momentum > 0" in shown(at.error[0])
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["data"][-1]["hovertext"] == ["Adam"]


def test_a_slider_change_updates_the_chart_and_the_url():
    at = open_settings(page(opt="adam"), "adam")
    before = assert_healthy(at)
    at.select_slider(key="adam.lr").set_value(0.5).run()
    after = assert_healthy(at)
    assert at.query_params["adam.lr"] == "0.5"
    assert after["frames"][-1]["data"][0] != before["frames"][-1]["data"][0]
    check_markers(after, Config(optimizers=("adam",)).with_hparam("adam", "lr", 0.5))


def test_function_change_resets_x0_into_the_new_bounds():
    at = page(x0="-19")
    at.selectbox(key="fn").set_value("quadratic").run()
    assert_healthy(at)
    assert at.slider(key="x0").value == functions.get("quadratic").x0
    assert at.query_params["fn"] == "quadratic"


def test_reset_to_defaults():
    at = page(opt="adam", **{"adam.lr": "0.5", "steps": "200"})
    [reset] = [b for b in at.button if b.label == t("reset")]
    reset.click().run()
    assert_healthy(at)
    assert dict(at.query_params) == {}


def test_no_optimizer_gives_a_hint_not_an_error():
    at = page()
    at.multiselect(key="opt").set_value([]).run()
    assert not at.exception
    assert at.info


def test_hostile_link_shows_one_notice_and_a_chart():
    at = page(
        **{"adam.lr": "abc", "steps": "1e99", "fn": "<b>x</b>", "opt": "adam,zzz", "x0": "nan"}
    )
    assert_healthy(at)
    assert len(at.warning) == 1
    text = shown(at.warning[0])
    for key in ("adam.lr", "steps", "fn", "opt", "x0"):
        assert key in text
    assert "<b>" not in text


def test_chinese_page():
    at = page(lang="zh")
    assert_healthy(at)
    assert at.title[0].value == "优化器实验室"


def test_embed_mode_shows_only_the_figure():
    at = page(mode="embed", opt="adam")
    spec = assert_healthy(at)
    assert not at.sidebar.selectbox and not at.title
    check_markers(spec, Config(optimizers=("adam",)))


def test_typing_an_expression_updates_the_chart():
    at = page(fn="custom", opt="gd")
    at.text_input(key="expr").set_value("sin(3x) + 0.1x^2").run()
    spec = assert_healthy(at)
    assert at.query_params["expr"] == "sin(3x) + 0.1x^2"
    fn = functions.from_expression("sin(3x) + 0.1x^2", (-3.0, 3.0))
    np.testing.assert_array_equal(decode(spec["data"][0]["y"]), figures.curve(fn)[1])
    check_markers(spec, Config(function="custom", expr="sin(3x) + 0.1x^2", optimizers=("gd",)))


def test_a_bad_expression_is_explained_and_the_last_good_one_stays():
    at = page(fn="custom", expr="x^2", opt="adam")
    before = assert_healthy(at)
    at.text_input(key="expr").set_value("__import__('os')").run()
    assert not at.exception
    assert len(at.error) == 1
    assert "unknown name '__import__' at column 1" in shown(at.error[0])
    assert at.query_params["expr"] == "x^2"
    after = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert after["frames"] == before["frames"]


def test_a_link_with_a_custom_function_reproduces_it():
    query = {"fn": "custom", "expr": "x^4 - 3*x^2 + x", "lo": "-2", "hi": "2.5", "x0": "2"}
    at = page(opt="momentum", **query)
    spec = assert_healthy(at)
    assert not at.warning
    cfg, _ = Config.from_query({**query, "opt": "momentum"})
    check_markers(spec, cfg)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda les: les.id)
def test_each_lesson_link_loads_and_says_what_to_look_for(lesson):
    at = page(**lesson_url_query(lesson, "zh"))
    spec = assert_healthy(at)
    assert not at.warning
    assert lesson.look_for["zh"] in at.info[0].value
    check_markers(spec, lesson_config(lesson))


def test_choosing_a_lesson_sets_its_configuration():
    at = page()
    lesson = LESSONS[2]
    at.selectbox(key="lesson").set_value(lesson.id).run()
    assert_healthy(at)
    assert dict(at.query_params) == lesson.query
    assert lesson.title["en"] in at.info[0].value


def test_explanations_and_exports_are_offered():
    at = page(opt="adam")
    assert_healthy(at)
    assert any("How it works: Adam" in e.label for e in at.expander)
    assert len(at.get("download_button")) == 4


@pytest.mark.parametrize(
    ("gallery_id", "panel", "look", "lang"),
    [
        ("gd", 0, "app", "en"),
        ("momentum", 9, "article", "zh"),
        ("adagrad", 14, "app", "zh"),
        ("rmsprop", 3, "article", "en"),
        ("adam", 47, "article", "en"),
        ("newton_reg", 40, "app", "zh"),
    ],
)
def test_article_view_draws_each_gallery(gallery_id, panel, look, lang):
    """The page holding the linked panel, titled as the style says, and the article
    checked for this sweep, every number of it measured."""
    at = page(view="article", gallery=gallery_id, panel=str(panel), gstyle=look, lang=lang)
    assert not at.exception and not at.error
    g = gallery.get(gallery_id)
    shown_panels = [k for k in gallery.page_of(panel) if k < len(g.values)]
    charts = at.get("plotly_chart")
    assert len(charts) == len(shown_panels) + (gallery_id == "adam")  # + the comparison
    for k, chart in zip(shown_panels, charts, strict=False):
        title = json.loads(chart.proto.spec)["layout"]["title"]["text"]
        name = g.article_label(k) if look == "article" else g.label(k)
        assert f"i = {k}" in title and name in title.replace(",<br>", ",")
    assert at.slider(key="panel").value == panel
    facts = checked.facts(gallery_id)
    markdown = " ".join(m.value for m in at.markdown)
    assert f"**{g.title[lang]}**" in markdown  # the sweep's whole title, under its picker
    key = "newton" if gallery_id == "newton_reg" else gallery_id
    assert text.t(f"checked.{key}.measured", lang, **facts) in markdown
    assert text.t("checked.heading", lang) in [h.value for h in at.subheader]


def test_racing_a_panel_sets_the_race_to_that_run():
    at = page(view="article", gallery="rmsprop", panel="6")
    at.button(key="race_panel").click().run()
    assert not at.exception and not at.error
    cfg = at.session_state["_config"]
    g = gallery.get("rmsprop")
    assert cfg.view == "race" and cfg.function == "article_code" and cfg.steps == 1000
    assert cfg.optimizers == ("rmsprop_article",) and cfg.start == -20.0
    assert cfg.hparams_of("rmsprop_article") == {**g.hparams(6), "lr": g.values[6]}
    # The race runs exactly the panel's run: its end is the gallery's.
    assert dict(at.query_params)["opt"] == "rmsprop_article"
    run = optimizers.run("rmsprop_article", "article_code", -20.0, 1000, **g.hparams(6))
    assert run.x_final == gallery.run_gallery(g).x_final[6]
    labels = [o for o in at.sidebar.selectbox[1].options]
    assert any("its code" in o for o in labels)  # the variant function is shown while chosen


@pytest.mark.parametrize("view", ["sweep", "basins", "noise", "newton", "inspect"])
def test_each_explore_view_draws(view):
    at = page(view="explore", ex=view, steps="100", **{"sw.y": "beta1", "sw.metric": "distance"})
    assert not at.exception and not at.error
    if view == "inspect":
        assert "\\\\Delta x" in at.latex[-1].value or "Delta" in at.latex[-1].value
    else:
        assert len(at.get("plotly_chart")) == 1
    assert dict(at.query_params).get("ex", "sweep") == view  # the view is in the link


def test_a_sweep_map_of_a_refused_setting_explains_itself():
    # Nesterov with a momentum axis that includes 0 cannot run: a message, no traceback.
    at = page(
        view="explore",
        ex="sweep",
        steps="50",
        **{"sw.opt": "momentum", "sw.y": "momentum", "momentum.nesterov": "1", "opt": "momentum"},
    )
    assert not at.exception
    assert at.error and "Nesterov" in shown(at.error[0])


HOSTILE_KEYS = [
    "fn",
    "x0",
    "steps",
    "opt",
    "lang",
    "expr",
    "lo",
    "hi",
    "view",
    "ex",
    "step",
    "adam.lr",
    "gd.lr",
    "momentum.nesterov",
    "sgd.seed",
    "mode",
    "gallery",
]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.sampled_from(HOSTILE_KEYS),
        st.sampled_from(
            [
                "nan",
                "-inf",
                "1e308",
                "",
                "<script>",
                "[x](javascript:1)",
                "$x$",
                "__import__('os')",
                "9**9**9",
                "-1",
                "0",
                "zzz",
                "1" * 300,
            ]
        )
        | st.text(max_size=30),
        min_size=1,
        max_size=6,
    )
)
def test_generated_hostile_links_never_break_the_page(query):
    at = page(**query)
    assert not at.exception, [e.value for e in at.exception]
    assert at.get("plotly_chart") or at.info or at.latex  # the page drew its view
    if len(at.warning):
        assert len(at.warning) == 1  # one short notice


def test_switching_language_keeps_the_view_and_the_settings():
    at = page(view="explore", ex="basins", opt="adam", **{"adam.lr": "0.5"})
    at.button_group(key="lang").set_value("zh").run()
    assert not at.exception and not at.error
    assert at.title[0].value == "优化器实验室"
    assert dict(at.query_params) == {
        "view": "explore",
        "ex": "basins",
        "opt": "adam",
        "adam.lr": "0.5",
        "lang": "zh",
    }


def test_the_link_is_shown_as_typed():
    at = page(opt="newton_reg", **{"newton_reg.alpha": "2.5"})
    assert any(
        m.value.startswith("`") and "newton_reg.alpha=2.5" in m.value and "\\" not in m.value
        for m in at.markdown
    )


def test_long_basins_wait_for_the_button():
    # Four optimizers x 5000 steps on the default typed function: just over the budget.
    at = page(
        fn="custom", steps="5000", opt="gd,momentum,rmsprop,adam", view="explore", ex="basins"
    )
    assert not at.exception and at.info and not at.get("plotly_chart")
    [button] = [b for b in at.button if b.label == "Compute the basins"]
    button.click().run()
    assert not at.exception and len(at.get("plotly_chart")) == 1


def test_a_removed_optimizer_keeps_its_settings_when_it_comes_back():
    at = open_settings(page(), "adamw")
    at.select_slider(key="adamw.lr").set_value(0.5).run()
    at.multiselect(key="opt").unselect("adamw").run()
    assert not at.exception, [e.value for e in at.exception]
    at.multiselect(key="opt").select("adamw").run()
    open_settings(at, "adamw")
    assert_healthy(at)
    assert at.select_slider(key="adamw.lr").value == 0.5
    assert at.query_params["adamw.lr"] == "0.5"


def test_a_schedule_link_shows_its_controls_formula_lr_panel_and_inspector_row():
    query = {"opt": "gd,adam,newton", "steps": "120", "sched": "onecycle"}
    at = page(**query, **{"sched.onecycle.total_steps": "120"})
    spec = assert_healthy(at)
    assert at.selectbox(key="sched").value == "onecycle"
    assert at.number_input(key="sched.onecycle.total_steps").value == 120
    assert at.selectbox(key="state").value == "lr"  # the schedule's lr, drawn first
    panels = json.loads(at.get("plotly_chart")[1].proto.spec)
    lr_traces = [d for d in panels["data"] if d.get("yaxis") == "y3"]
    assert len(lr_traces) == 2  # gd and adam; Newton has no lr
    runs = {
        n: optimizers.run(
            n, "article", steps=120, schedule=optimizers.schedule("onecycle", total_steps=120)
        )
        for n in ("gd", "adam")
    }
    for trace, name in zip(lr_traces, ("gd", "adam"), strict=True):
        np.testing.assert_array_equal(decode(trace["y"]), runs[name].state["lr"])
    assert any("OneCycleLR" in c.value for c in at.sidebar.caption)
    assert any(r"\frac{\eta}{d" in x or "A\\left" in x for x in formulas(at))
    assert spec["frames"]
    at = page(**query, **{"sched.onecycle.total_steps": "120"}, view="explore", ex="inspect",
              **{"insp.opt": "adam", "step": "40"})  # fmt: skip
    assert not at.exception and not at.error
    assert r"\eta_t &= \text{one-cycle}\ (e = 39)" in at.latex[-1].value


def test_a_onecycle_shorter_than_the_run_is_explained_per_optimizer():
    at = page(opt="adam,newton", steps="200", sched="onecycle",
              **{"sched.onecycle.total_steps": "100"})  # fmt: skip
    assert not at.exception
    assert len(at.error) == 1 and "OneCycleLR cannot run 200 steps" in shown(at.error[0])
    assert at.get("plotly_chart")  # Newton still races


def test_tuning_with_an_optimizer_that_cannot_run_shows_its_error_not_a_traceback():
    # Found by the click-through hunt: tuned, then Nesterov with dampening on Momentum.
    query = {"opt": "gd,momentum", "steps": "60", "momentum.nesterov": "1"}
    at = page(**query, tuned="1", **{"momentum.dampening": "0.5"})
    assert not at.exception
    assert len(at.error) == 1 and "Nesterov" in shown(at.error[0])
    assert list(at.dataframe[0].value[t("col.optimizer")]) == [optimizer_label("gd", "en")]
    at = page(**query, **{"momentum.dampening": "0.5"})
    [button] = [b for b in at.button if b.label == t("tune")]
    button.click().run()
    assert not at.exception
    assert at.query_params["tuned"] == "1" and "gd.lr" in at.query_params


def test_the_tune_button_races_every_optimizer_at_its_tuned_lr_and_says_how():
    from viz import tune

    at = page(opt="gd,adam,newton", steps="80")
    [button] = [b for b in at.button if b.label == t("tune")]
    button.click().run()
    assert_healthy(at)
    cfg = Config(optimizers=("gd", "adam", "newton"), steps=80)
    want = tune.tune_all(cfg)
    for name in ("gd", "adam"):
        assert at.query_params[f"{name}.lr"] == f"{want[name].lr:g}"
    assert at.query_params["tuned"] == "1"
    assert any(h.value == t("tuned_head") for h in at.subheader)
    table = at.dataframe[0].value
    assert list(table[t("tune.status")]) == [t("tune.ok")] * 2
    # Moved by hand afterwards: the page says the race no longer runs at the tuned lr.
    open_settings(at, "adam").select_slider(key="adam.lr").set_value(0.001).run()
    assert list(at.dataframe[0].value[t("tune.status")]) == [t("tune.ok"), t("tune.changed")]
