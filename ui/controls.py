"""Sidebar controls, generated from the specs: one group per chosen optimizer."""

from __future__ import annotations

import streamlit as st

import optimizers
from optimizers.spec import HyperParam
from ui import state
from ui.state import hp_key, on_function_change, reset
from viz import grids
from viz.config import (
    CUSTOM,
    FUNCTION_IDS,
    LANGUAGES,
    MAX_BOUND,
    MAX_UI_STEPS,
    MIN_UI_STEPS,
    objective_of,
)
from viz.lessons import LESSONS_BY_ID
from viz.text import (
    error_text,
    function_label,
    hparam_help,
    hparam_label,
    optimizer_label,
    plain,
    t,
)

LANGUAGE_NAMES = {"en": "English", "zh": "中文"}


def sidebar(lang: str) -> None:
    """Draw every control; their values land in st.session_state under URL names."""
    sb = st.sidebar
    sb.segmented_control(
        t("language", lang),
        LANGUAGES,
        key="lang",
        format_func=LANGUAGE_NAMES.get,
        selection_mode="single",
        required=True,
        on_change=state.on_language_change,
    )
    sb.selectbox(
        t("lesson_pick", lang),
        ["", *LESSONS_BY_ID],
        key=state.LESSON,
        format_func=lambda i: LESSONS_BY_ID[i].title[lang] if i else t("lesson_none", lang),
        on_change=state.start_lesson,
        help=t("lessons_help", lang),
    )
    sb.selectbox(
        t("function", lang),
        FUNCTION_IDS,
        key="fn",
        help=t("function_help", lang),
        format_func=lambda n: function_label(n, lang),
        on_change=on_function_change,
    )
    if st.session_state["fn"] == CUSTOM:
        custom_function(lang)
    lo, hi = objective_of(*state.fn_key()).bounds
    # Keep x0 inside bounds that a typed function may just have changed.
    st.session_state["x0"] = min(max(float(st.session_state["x0"]), lo), hi)
    sb.slider(
        t("x0", lang), float(lo), float(hi), key="x0", step=(hi - lo) / 400, help=t("x0_help", lang)
    )
    sb.slider(
        t("steps", lang),
        MIN_UI_STEPS,
        MAX_UI_STEPS,
        key="steps",
        step=10,
        help=t("steps_help", lang),
    )
    sb.multiselect(
        t("optimizers", lang),
        list(optimizers.OPTIMIZERS),
        key="opt",
        format_func=lambda n: optimizer_label(n, lang),
        help=t("optimizers_help", lang),
    )
    for name in st.session_state["opt"]:
        opt = optimizers.get(name)
        if not opt.hparams:
            continue
        with sb.expander(optimizer_label(name, lang), expanded=False):
            for hp in opt.hparams:
                hparam_control(name, hp, lang)
    sb.toggle(t("log_scale", lang), key="log", help=t("log_scale_help", lang))
    sb.button(t("reset", lang), on_click=reset, width="stretch")


def custom_function(lang: str) -> None:
    """The typed expression and its bounds; a bad one is explained and not used."""
    sb = st.sidebar
    sb.text_input(t("expr", lang), key="expr", max_chars=200, help=t("expr_help", lang))
    left, right = sb.columns(2)
    left.number_input(t("lo", lang), -MAX_BOUND, MAX_BOUND, key="lo", format="%g")
    right.number_input(t("hi", lang), -MAX_BOUND, MAX_BOUND, key="hi", format="%g")
    ss = st.session_state
    typed = (ss["expr"], float(ss["lo"]), float(ss["hi"]))
    try:
        objective_of(CUSTOM, *typed)
    except ValueError as e:
        sb.error(t("expr_error", lang, error=plain(error_text(e, lang))))
        return
    ss[state.CUSTOM_OK] = typed


def hparam_control(name: str, hp: HyperParam, lang: str) -> None:
    key = hp_key(name, hp.name)
    label = f"{hparam_label(hp.name, lang)}  ${hp.symbol}$"
    help_text = hparam_help(hp, lang)
    if hp.kind == "bool":
        st.toggle(label, key=key, help=help_text)
    elif hp.name == "seed":
        st.number_input(label, int(hp.lo), int(hp.hi), step=1, key=key, help=help_text)
    else:
        st.select_slider(
            label,
            grids.slider_values(hp, st.session_state[key]),
            key=key,
            format_func=grids.fmt,
            help=help_text,
        )
