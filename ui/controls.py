"""Sidebar controls, generated from the specs: one group per chosen optimizer. Each
shows a setting of the page's Config and sends changes back through ui.state."""

from __future__ import annotations

import functools

import streamlit as st

import optimizers
from optimizers.spec import HyperParam
from ui import lazy, state
from viz import grids
from viz.config import (
    CUSTOM,
    FUNCTION_IDS,
    MAX_BOUND,
    MAX_UI_STEPS,
    MIN_UI_STEPS,
    Config,
    has_lr,
)
from viz.lessons import LESSONS_BY_ID
from viz.text import (
    error_text,
    function_label,
    hparam_help,
    hparam_label,
    optimizer_label,
    plain,
    schedule_label,
    symbol_text,
    t,
)

LANGUAGE_NAMES = {"en": "English", "zh": "中文"}


def sidebar(cfg: Config, lang: str) -> None:
    """Draw every control, each a view of ``cfg`` (see ui.state)."""
    sb = st.sidebar
    state.segments(sb, t("language", lang), "lang", LANGUAGE_NAMES.get)
    sb.selectbox(
        t("lesson_pick", lang),
        ["", *LESSONS_BY_ID],
        format_func=lambda i: LESSONS_BY_ID[i].title[lang] if i else t("lesson_none", lang),
        help=t("lessons_help", lang),
        **state.bind_lesson(),
    )
    sb.selectbox(
        t("function", lang),
        # A named variant (a raced gallery panel's) is offered while it is shown.
        (*FUNCTION_IDS, *(() if cfg.function in FUNCTION_IDS else (cfg.function,))),
        help=t("function_help", lang),
        format_func=lambda n: function_label(n, lang),
        **state.bind("fn"),
    )
    if cfg.function == CUSTOM:
        custom_function(lang)
    lo, hi = cfg.objective.bounds
    sb.slider(
        t("x0", lang),
        float(lo),
        float(hi),
        step=(hi - lo) / 400,
        help=t("x0_help", lang),
        **state.bind("x0", float(cfg.start)),
    )
    sb.slider(
        t("steps", lang),
        MIN_UI_STEPS,
        MAX_UI_STEPS,
        step=10,
        help=t("steps_help", lang),
        **state.bind("steps"),
    )
    sb.multiselect(
        t("optimizers", lang),
        [*optimizers.OPTIMIZERS, *(n for n in cfg.optimizers if n in optimizers.VARIANTS)],
        format_func=lambda n: optimizer_label(n, lang),
        help=t("optimizers_help", lang),
        **state.bind("opt"),
    )
    for name in cfg.optimizers:
        opt = optimizers.get(name)
        if not opt.hparams:
            continue
        draw = functools.partial(optimizer_settings, cfg, name, lang)
        lazy.expander(sb, optimizer_label(name, lang), name, draw)
    schedule_controls(cfg, lang)
    sb.button(
        t("tune", lang),
        on_click=state.tune,
        help=t("tune_help", lang),
        disabled=not any(has_lr(n) for n in cfg.optimizers),
        width="stretch",
    )
    sb.toggle(t("log_scale", lang), help=t("log_scale_help", lang), **state.bind("log"))
    sb.toggle(t("present", lang), help=t("present_help", lang), **state.bind("present"))
    sb.button(t("reset", lang), on_click=state.reset, width="stretch")


def custom_function(lang: str) -> None:
    """The typed expression and its bounds; a bad one is explained and not used."""
    sb = st.sidebar
    sb.text_input(
        t("expr", lang), max_chars=200, help=t("expr_help", lang), **state.bind_typed("expr")
    )
    left, right = sb.columns(2)
    left.number_input(t("lo", lang), -MAX_BOUND, MAX_BOUND, format="%g", **state.bind_typed("lo"))
    right.number_input(t("hi", lang), -MAX_BOUND, MAX_BOUND, format="%g", **state.bind_typed("hi"))
    error = state.typed_error()
    if error is not None:
        sb.error(t("expr_error", lang, error=plain(error_text(error, lang))))


def schedule_controls(cfg: Config, lang: str) -> None:
    """The schedule's kind and its parameters, as torch names them."""
    with st.sidebar.expander(t("schedule", lang), expanded=cfg.schedule != "constant"):
        st.selectbox(
            t("schedule", lang),
            tuple(optimizers.SCHEDULES),
            format_func=lambda k: schedule_label(k, lang),
            help=t("schedule_help", lang),
            **state.bind("sched"),
        )
        kind = optimizers.SCHEDULES[cfg.schedule]
        for p in kind.params:
            key = f"sched.{kind.name}.{p.name}"
            label = f"{p.label if lang == 'en' else p.label_zh} {symbol_text(p.symbol)}  `{p.name}`"
            if p.kind == "bool":
                st.toggle(label, help=hparam_help(p, lang), **state.bind(key))
            elif p.kind == "choice":
                state.segments(st, label, key, str)
            elif p.kind == "int":
                st.number_input(
                    label,
                    int(p.lo),
                    int(p.hi),
                    step=1,
                    help=hparam_help(p, lang),
                    **state.bind(key),
                )
            else:
                st.select_slider(
                    label,
                    grids.slider_values(p, cfg.get(key)),
                    format_func=grids.fmt,
                    help=hparam_help(p, lang),
                    **state.bind(key),
                )
        st.caption(kind.note.get(lang))
        if kind.torch:
            st.caption(t("schedule_where", lang, torch=kind.torch))


def optimizer_settings(cfg: Config, name: str, lang: str) -> None:
    for hp in optimizers.get(name).hparams:
        hparam_control(cfg, name, hp, lang)


def hparam_control(cfg: Config, name: str, hp: HyperParam, lang: str) -> None:
    key = f"{name}.{hp.name}"
    # Unicode, not LaTeX: a screen reader reads a label's "$\\eta$" out as typed.
    label = f"{hparam_label(hp.name, lang)} {symbol_text(hp.symbol)}"
    help_text = hparam_help(hp, lang)
    if hp.kind == "bool":  # a switch's symbol is its name again: the name alone
        st.toggle(hparam_label(hp.name, lang), help=help_text, **state.bind(key))
    elif hp.name == "seed":
        st.number_input(label, int(hp.lo), int(hp.hi), step=1, help=help_text, **state.bind(key))
    else:
        st.select_slider(
            label,
            grids.slider_values(hp, cfg.get(key)),
            format_func=grids.fmt,
            help=help_text,
            **state.bind(key),
        )
