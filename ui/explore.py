"""Explore: sweep maps, basins of attraction, noise ensembles, Newton's model, steps.

Every computation is cached on plain values (the function, the start, the steps and
the hyperparameters it reads), so switching views or metrics costs no rerun of the
maths.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

import optimizers
from ui import alt, cache, state
from viz import describe
from viz import explore as ex
from viz.config import (
    MAX_ENSEMBLE,
    SCHEDULE_AXIS,
    SWEEP_OPTIMIZERS,
    Config,
    sweep_axes,
)
from viz.step_view import newton_model
from viz.text import error_text, hparam_label, optimizer_label, plain, t

BASIN_STARTS = 400


@st.cache_resource(max_entries=8, show_spinner=False, hash_funcs=cache.HASH_FUNCS)
def _sweep(race: Config, name: str, y_axis: str):
    return ex.sweep(race, name, y_axis, ex.sweep_cells(race))


@st.cache_resource(max_entries=16, show_spinner=False, hash_funcs=cache.HASH_FUNCS)
def _sweep_figure(race: Config, name: str, y_axis: str, metric: str, lang: str):
    return ex.sweep_figure(_sweep(race, name, y_axis), metric, lang)


@st.cache_resource(max_entries=8, show_spinner=False, hash_funcs=cache.HASH_FUNCS)
def _basins(race: Config):
    return ex.basins(race, BASIN_STARTS)


@st.cache_resource(max_entries=8, show_spinner=False, hash_funcs=cache.HASH_FUNCS)
def _basins_figure(race: Config, lang: str):
    return ex.basins_figure(_basins(race), lang)


@st.cache_resource(max_entries=8, show_spinner=False, hash_funcs=cache.HASH_FUNCS)
def _ensemble(race: Config, name: str, k: int):
    return ex.ensemble(race, name, k)


@st.cache_resource(max_entries=8, show_spinner=False, hash_funcs=cache.HASH_FUNCS)
def _ensemble_figure(race: Config, name: str, k: int, lang: str):
    return ex.ensemble_figure(_ensemble(race, name, k), lang)


def explore(cfg: Config, lang: str) -> None:
    view = state.segments(st, t("explore.pick", lang), "ex", lambda v: t(f"explore.{v}", lang))
    st.caption(t(f"explore.{view}_help", lang))
    {
        "sweep": sweep_ui,
        "basins": basins_ui,
        "noise": noise_ui,
        "newton": newton_ui,
        "inspect": inspect_ui,
    }[view](cfg, lang)


def sweep_ui(cfg: Config, lang: str) -> None:
    left, right = st.columns(2)
    name = left.selectbox(
        t("optimizer", lang),
        SWEEP_OPTIMIZERS,
        format_func=lambda n: optimizer_label(n, lang),
        **state.bind("sw.opt"),
    )
    y_axis = right.selectbox(
        t("sweep.y", lang),
        sweep_axes(name, cfg.schedule),
        format_func=lambda a: axis_label(cfg, a, lang),
        **state.bind("sw.y"),
    )
    # Its own row: its segments need more than a third of the page (cut off at 1400 px).
    metric = state.segments(st, t("sweep.metric", lang), "sw.metric", lambda m: t(f"col.{m}", lang))
    try:
        with st.spinner(t("computing", lang)):
            fig = _sweep_figure(cfg.runs_of((name,)), name, y_axis, metric, lang)
    except ValueError as e:
        st.error(plain(error_text(e, lang)))
        return
    cells = ex.sweep_cells(cfg)
    if cells < ex.MAX_CELLS:
        st.caption(t("sweep.coarser", lang, n=cells))
    st.plotly_chart(
        fig,
        key="sweep_chart",
        on_select=lambda: _load_cell(name, y_axis),
        selection_mode="points",
    )
    sw = _sweep(cfg.runs_of((name,)), name, y_axis)
    alt.chart_alt(
        describe.sweep_sentence(sw, axis_label(cfg, y_axis, lang), lang),
        lambda: describe.sweep_table(sw, axis_label(cfg, y_axis, lang), lang),
        lang,
        "sweep",
    )


def axis_label(cfg: Config, axis: str, lang: str) -> str:
    """An axis's name; a schedule's parameter as its control names it (the race's
    schedule's, else the first schedule that has it: every id must have a label)."""
    if axis.startswith(SCHEDULE_AXIS):
        name = axis.removeprefix(SCHEDULE_AXIS)
        kinds = [optimizers.SCHEDULES[cfg.schedule], *optimizers.SCHEDULES.values()]
        kind = next(k for k in kinds if name in k.defaults)
        spec = kind.param(name)
        label = spec.label if lang == "en" else spec.label_zh
        return kind.label.get(lang) + (": " if lang == "en" else "：") + label
    return t("x0", lang) if axis == "x0" else hparam_label(axis, lang)


def _load_cell(name: str, y_axis: str) -> None:
    """A click on a cell: show that configuration in the race."""
    points = st.session_state["sweep_chart"]["selection"]["points"]
    data = points[0].get("customdata") if points else None
    if isinstance(data, dict):  # a typed array arrives as {"0": lr, "1": y, ...}
        data = [data[k] for k in sorted(data, key=int)]
    if not data or len(data) < 2:
        return
    try:
        cfg = ex.sweep_config(state.config(), name, y_axis, float(data[0]), float(data[1]))
    except (TypeError, ValueError):  # not a cell of ours: nothing to load
        return
    state.put(replace(cfg, view="race"))


def basins_ui(cfg: Config, lang: str) -> None:
    if not ex.basins_quick(cfg) and not st.button(t("basins.compute", lang)):
        st.info(t("basins.slow", lang, k=len(cfg.optimizers), steps=cfg.steps))
        return
    with st.spinner(t("computing", lang)):
        # Basins start everywhere: the race's own x0 does not enter.
        race = replace(cfg, x0=None).runs_of()
        fig = _basins_figure(race, lang)
    st.plotly_chart(fig, key="basins_chart")
    labels = {name: optimizer_label(name, lang) for name in cfg.optimizers}
    data = _basins(race)
    alt.chart_alt(
        describe.basins_sentence(data, labels, lang),
        lambda: describe.basins_table(data, labels, lang),
        lang,
        "basins",
    )


def noise_ui(cfg: Config, lang: str) -> None:
    left, right = st.columns(2)
    name = state.segments(
        left, t("optimizer", lang), "noise.opt", lambda n: optimizer_label(n, lang)
    )
    k = right.slider(t("explore.runs", lang), 2, MAX_ENSEMBLE, **state.bind("noise.k"))
    st.plotly_chart(_ensemble_figure(cfg.runs_of((name,)), name, k, lang), key="noise_chart")
    data = _ensemble(cfg.runs_of((name,)), name, k)
    alt.chart_alt(
        describe.ensemble_sentence(data, optimizer_label(name, lang), lang),
        lambda: describe.ensemble_table(data, lang),
        lang,
        "noise",
    )


def _step_slider(cfg: Config, lang: str) -> int:
    return st.slider(t("step", lang), 1, cfg.steps, **state.bind("step"))


def newton_ui(cfg: Config, lang: str) -> None:
    # Plain Newton only when the race runs it alone; else regularised Newton (α = 0 is
    # plain Newton) with the race's settings or its defaults.
    alone = "newton" in cfg.optimizers and "newton_reg" not in cfg.optimizers
    name = "newton" if alone else "newton_reg"
    step = _step_slider(cfg, lang)
    traj = _run(cfg, name, lang)
    if traj is None:
        return
    st.caption(optimizer_label(name, lang))
    alpha = cfg.hparams_of(name).get("alpha", 0.0)
    fig = ex.newton_model_figure(cfg.objective, traj, step, alpha, lang)
    st.plotly_chart(fig, key="newton_chart")
    model = newton_model(cfg.objective, float(traj.x[step - 1]), alpha)
    curvature = optimizers.get(name).curvature or "f″ + α"
    alt.chart_alt(
        describe.newton_sentence(model, step, curvature, lang),
        lambda: describe.newton_table(model, curvature, lang),
        lang,
        "newton",
    )


def inspect_ui(cfg: Config, lang: str) -> None:
    left, right = st.columns(2)
    name = left.selectbox(
        t("optimizer", lang),
        tuple(optimizers.OPTIMIZERS),
        format_func=lambda n: optimizer_label(n, lang),
        **state.bind("insp.opt"),
    )
    with right:
        step = _step_slider(cfg, lang)
    traj = _run(cfg, name, lang)
    if traj is not None:
        st.latex(ex.inspect_step(name, traj, step, cfg.hparams_of(name), lang))


def _run(cfg: Config, name: str, lang: str):
    """``name``'s cached run with ``cfg``'s settings, or None once the page says why it
    cannot run."""
    runs, errors = cache.runs(cfg.runs_of((name,)), lang)
    for message in errors:
        st.error(message)
    return runs[0].traj if runs else None
