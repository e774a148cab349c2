"""Explore: sweep maps, basins of attraction, noise ensembles, Newton's model, steps.

Every computation is cached on plain values (the function, the start, the steps and
the hyperparameters it reads), so switching views or metrics costs no rerun of the
maths.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

import optimizers
from ui import cache, state
from viz import explore as ex
from viz.config import (
    MAX_ENSEMBLE,
    SWEEP_OPTIMIZERS,
    Config,
    sweep_axes,
)
from viz.text import error_text, hparam_label, optimizer_label, plain, t

BASIN_STARTS = 400


@st.cache_resource(max_entries=8, show_spinner=False, hash_funcs=cache.HASH_FUNCS)
def _sweep(race: Config, name: str, y_axis: str):
    return ex.sweep(race, name, y_axis, ex.sweep_cells(race))


@st.cache_resource(max_entries=16, show_spinner=False, hash_funcs=cache.HASH_FUNCS)
def _sweep_figure(race: Config, name: str, y_axis: str, metric: str, lang: str):
    return ex.sweep_figure(_sweep(race, name, y_axis), metric, lang)


@st.cache_resource(max_entries=8, show_spinner=False, hash_funcs=cache.HASH_FUNCS)
def _basins_figure(race: Config, lang: str):
    return ex.basins_figure(ex.basins(race, BASIN_STARTS), lang)


@st.cache_resource(max_entries=8, show_spinner=False, hash_funcs=cache.HASH_FUNCS)
def _ensemble_figure(race: Config, name: str, k: int, lang: str):
    return ex.ensemble_figure(ex.ensemble(race, name, k), lang)


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
        sweep_axes(name),
        format_func=lambda a: t("x0", lang) if a == "x0" else hparam_label(a, lang),
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
        fig = _basins_figure(replace(cfg, x0=None).runs_of(), lang)
    st.plotly_chart(fig, key="basins_chart")


def noise_ui(cfg: Config, lang: str) -> None:
    left, right = st.columns(2)
    name = state.segments(
        left, t("optimizer", lang), "noise.opt", lambda n: optimizer_label(n, lang)
    )
    k = right.slider(t("explore.runs", lang), 2, MAX_ENSEMBLE, **state.bind("noise.k"))
    st.plotly_chart(_ensemble_figure(cfg.runs_of((name,)), name, k, lang), key="noise_chart")


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
