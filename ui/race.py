"""The race: the animated landscape, its panels, formulas, summary and exports."""

from __future__ import annotations

import functools

import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st

import optimizers
from ui import alt, cache, lazy, playbar, slots, state
from viz import describe, exports, figures
from viz.config import Config
from viz.explain import explanation
from viz.tables import formula_latex, schedule_latex, summary_rows
from viz.text import name_list, optimizer_label, schedule_label, t
from viz.tune import SEEDS, tail, tune_all, tune_key


def race(cfg: Config, runs: list, lang: str) -> None:
    landscape_ui(cfg, lang)
    alt.chart_alt(
        describe.landscape_sentence(runs, lang),
        lambda: describe.runs_table(runs, lang),
        lang,
        "landscape",
    )
    with slots.slot():
        coincide_ui(cfg, runs, lang)
    with slots.slot():
        if cfg.tuned:
            tuned_ui(cfg, lang)
    panels_ui(cfg, runs, lang)
    formulas_ui(cfg, lang)
    summary_ui(cfg, runs, lang)
    export_ui(cfg, runs, lang)


@st.cache_resource(max_entries=16, show_spinner=False, hash_funcs=cache.HASH_FUNCS)
def _tuned(key: Config):
    return tune_all(key)


def tuned_ui(cfg: Config, lang: str) -> None:
    """How the learning rates were chosen, and whether the race still runs at them."""
    with st.spinner(t("computing", lang)):
        results = _tuned(tune_key(cfg))
    if not results:
        return
    st.subheader(t("tuned_head", lang))
    st.caption(
        t(
            "tuned_how",
            lang,
            x0=cfg.start,
            steps=cfg.steps,
            schedule=schedule_label(cfg.schedule, lang),
            seeds=SEEDS,
            more=SEEDS - 1,
            tail=tail(cfg.steps),
        )
    )
    rows = []
    for name, result in results.items():
        racing = cfg.hparams_of(name)["lr"]
        if result.lr is None:
            status = t("tune.none", lang)
        else:
            status = t("tune.ok" if racing == result.lr else "tune.changed", lang)
        tried = f"{result.grid.size}: {result.grid[0]:g} … {result.grid[-1]:g}"
        score = "—" if result.lr is None else f"{result.score[result.best]:.6g}"
        rows.append(
            {
                t("col.optimizer", lang): optimizer_label(name, lang),
                t("tune.grid", lang): tried,
                t("tune.lr", lang): "—" if result.lr is None else f"{result.lr:g}",
                t("tune.score", lang): score,
                t("tune.racing", lang): f"{racing:g}",
                t("tune.status", lang): status,
            }
        )
    st.dataframe(pa.Table.from_pylist(rows), hide_index=True, width="stretch")


def landscape_ui(cfg: Config, lang: str) -> None:
    """The animated landscape and its play controls (the embed page's whole content)."""
    fig = cache.landscape(cfg.runs_of(), lang, cfg.present)
    st.plotly_chart(fig, key="landscape")
    playbar.playbar(fig.frame_steps, repr(cfg.runs_of()), lang)


def panels_ui(cfg: Config, runs: list, lang: str) -> None:
    st.subheader(t("panels", lang))
    fields = figures.state_fields(runs)
    state_key = None
    if fields:
        shown = figures.state_shown(runs, cfg.panel_state)
        state_key = st.selectbox(
            t("state_pick", lang),
            fields,
            format_func=lambda f: t(f"state.{f}", lang),
            help=t("state_pick_help", lang),
            **state.bind("state", shown),
        )
    figure = cache.panels(cfg.runs_of(), lang, state_key, cfg.log_scale, cfg.present)
    st.plotly_chart(figure, key="panels")
    alt.chart_alt(
        describe.panels_sentence(runs, lang, state_key),
        lambda: describe.runs_table(runs, lang, state_key),
        lang,
        "panels",
    )


def coincide_ui(cfg: Config, runs: list, lang: str) -> None:
    """Say which runs end on one spot: their markers and lines lie on top of each other."""
    for group in figures.coinciding(cfg.objective, runs):
        xs = [float(runs[i].traj.x_final) for i in group]
        labels = name_list([runs[i].label for i in group], lang)
        st.caption(t("coincide", lang, labels=labels, x=xs[0], gap=max(xs) - min(xs)))


def formulas_ui(cfg: Config, lang: str) -> None:
    st.subheader(t("formulas", lang))
    if cfg.schedule != "constant":
        label = t("schedule_formula", lang, label=schedule_label(cfg.schedule, lang))
        labelled_formula(label, schedule_latex(cfg.schedule, cfg.schedule_of(cfg.schedule), lang))
        st.caption(t("schedule_e", lang))
    for name in cfg.optimizers:
        label = optimizer_label(name, lang)
        labelled_formula(label, formula_latex(optimizers.get(name), cfg.hparams_of(name), lang))
        draw = functools.partial(explain, name, lang)
        lazy.expander(st, f"{t('explain', lang)}: {label}", f"explain.{name}", draw)


def labelled_formula(label: str, latex: str) -> None:
    """A bold label over a displayed formula (written as ``st.latex`` writes it), in one
    element: under a class's load, each element a rerun sends costs the server a turn
    through Streamlit's queue, however small it is (``python -m bench classroom``)."""
    st.markdown(f"**{label}**\n\n$$\n{latex}\n$$")


def explain(name: str, lang: str) -> None:
    about = explanation(name, lang)
    st.markdown(f"**{t('explain.idea', lang)}.** {about['idea']}")
    st.markdown(f"**{t('explain.failure', lang)}.** {about['failure']}")
    if about["hparams"]:
        st.markdown(f"**{t('explain.hparams', lang)}.**")
        st.markdown("\n".join(f"- ${sym}$: {text}" for sym, text in about["hparams"]))


def export_ui(cfg: Config, runs: list, lang: str) -> None:
    st.subheader(t("export", lang))
    st.caption(t("export_help", lang))
    files = {
        "csv": ("trajectories.csv", "text/csv", lambda: exports.trajectories_csv(runs)),
        "json": (
            "trajectories.json",
            "application/json",
            lambda: exports.trajectories_json(runs, cfg),
        ),
        "html": (
            "optimizer-lab.html",
            "text/html",
            lambda: exports.standalone_html(
                figures.play_controls(
                    go.Figure(cache.landscape(cfg.runs_of(), lang, cfg.present).spec()),
                    cache.tr(lang),
                )
            ),
        ),
        "python": ("optimizer_lab_run.py", "text/x-python", lambda: exports.python_snippet(cfg)),
    }
    # Two columns of two, the data files in the first: four in a row cut their labels
    # off on a tablet. One row of columns, not two, is three elements fewer per rerun.
    left, right = st.columns(2)
    columns = (left, left, right, right)
    for column, (kind, (name, mime, data)) in zip(columns, files.items(), strict=True):
        # Files are built only when clicked: the HTML carries plotly.js (~5 MB).
        column.download_button(
            t(f"export.{kind}", lang),
            data,
            file_name=name,
            mime=mime,
            help=t(f"export.{kind}_help", lang),
            on_click="ignore",
            width="stretch",
        )


def summary_ui(cfg: Config, runs: list, lang: str) -> None:
    st.subheader(t("summary", lang))
    fn = cfg.objective
    if fn.has_minimum:
        st.caption(t("global_min", lang, x=fn.x_min, f=fn.f_min))
    else:
        st.caption(t("no_global_min", lang))
    rows = [
        {t(f"col.{k}", lang): _cell(v, lang, _missing(k, row)) for k, v in row.items()}
        for row in summary_rows(fn, runs)
    ]
    # An Arrow table, which Streamlit sends as it is: built as a pandas DataFrame and
    # converted, this table of a few strings cost more server time than the landscape.
    st.dataframe(pa.Table.from_pylist(rows), hide_index=True, width="stretch")


def _missing(key: str, row: dict) -> str:
    """What an empty cell says: a run that neither diverged nor stopped moving may still
    settle ("not yet"); one that diverged never will, like any other empty cell ("—")."""
    return "not_settled" if key == "settled" and row["diverged"] is None else "never"


def _cell(value, lang: str, missing: str) -> str:
    """Table cells as text: six significant digits; ``missing`` names an empty cell."""
    if value is None:
        return t(missing, lang)
    return value if isinstance(value, str) else f"{value:.6g}"
