"""The page's one state: a Config in the session, and the widgets that show it.

Each widget takes its value from the Config just before it is drawn and writes a change
back through ``changed``, one path for all of them. No setting lives only in a widget,
so when Streamlit forgets the value of a widget it did not draw (another tab is open,
an optimizer was removed, a built-in function is shown instead of the typed one),
nothing is lost. Widget keys are the settings' URL names (``fn``, ``adam.lr``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

import streamlit as st

from viz.config import CUSTOM, SETTINGS_BY_KEY, VIEWS, Config, Notice, objective_of
from viz.lessons import LESSONS, LESSONS_BY_ID, lesson_config
from viz.text import t
from viz.tune import tune_all, tuned_config

CONFIG, NOTICES, LESSON_ID, TYPED = "_config", "_notices", "_lesson", "_typed"
LESSON, VIEW = "lesson", "view"  # widget keys of the lesson picker and the tabs
TYPED_KEYS = ("expr", "lo", "hi")  # the typed function's inputs


def browser_language() -> str:
    locale = (st.context.locale or "").lower()
    return "zh" if locale.startswith("zh") else "en"


def load() -> bool:
    """On a session's first run, read the link into the page's state; whether this run
    is the session's first."""
    ss = st.session_state
    if CONFIG in ss:
        return False
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    cfg, notices = Config.from_query(params)
    if "lang" not in params:
        cfg = replace(cfg, lang=browser_language())
    # A lesson's link opens with its "what to look for".
    same = [les.id for les in LESSONS if replace(lesson_config(les), lang=cfg.lang) == cfg]
    start(cfg, lesson=same[0] if same else "", notices=notices)
    return True


def config() -> Config:
    return st.session_state[CONFIG]


def put(cfg: Config) -> None:
    st.session_state[CONFIG] = cfg.normalised()


def start(cfg: Config, lesson: str = "", notices: list[Notice] | None = None) -> None:
    """Show ``cfg`` afresh: every control, the typed function's inputs included."""
    ss = st.session_state
    put(cfg)
    ss[TYPED] = {k: cfg.get(k) for k in TYPED_KEYS}
    ss[LESSON_ID] = lesson
    ss[NOTICES] = notices or []


def bind(key: str, value: Any = None) -> dict:
    """Keyword arguments for the widget that shows setting ``key``: it shows ``value``
    (by default the Config's) and sends its changes to ``changed``."""
    shown = config().get(key) if value is None else value
    st.session_state[key] = list(shown) if isinstance(shown, tuple) else shown
    return {"key": key, "on_change": changed, "args": (key,)}


def changed(key: str, decode: dict | None = None) -> None:
    """A widget's callback: its new value into the Config. ``decode`` maps a widget
    value that is not an id (a tab's label) to the id."""
    value = st.session_state.get(key)
    if decode is not None:
        value = decode.get(value)
    put(config().set(key, value))


def segments(where, label: str, key: str, format_func: Callable[[str], str]) -> str:
    """Setting ``key`` as a row of segments, one per choice in its settings entry; the
    chosen id (the Config's while a click is on its way)."""
    chosen = where.segmented_control(
        label,
        SETTINGS_BY_KEY[key].choices,
        required=True,
        format_func=format_func,
        **bind(key),
    )
    return chosen or config().get(key)


def bind_typed(key: str) -> dict:
    """Like ``bind``, for the typed function's inputs: they show what was typed, which
    the Config takes only once the function works."""
    st.session_state[key] = st.session_state[TYPED][key]
    return {"key": key, "on_change": typed, "args": (key,)}


def typed(key: str) -> None:
    ss = st.session_state
    draft = ss[TYPED] = {**ss[TYPED], key: ss[key]}
    if typed_error() is None:
        cfg = config()
        for k in TYPED_KEYS:
            cfg = cfg.set(k, draft[k])
        put(cfg)


def typed_error() -> ValueError | None:
    """Why the typed function cannot be used, or None."""
    draft = st.session_state[TYPED]
    try:
        objective_of(CUSTOM, str(draft["expr"]), float(draft["lo"]), float(draft["hi"]))
    except ValueError as e:
        return e
    return None


def view_tabs(lang: str) -> dict:
    """The Race / Explore / Article tabs; only the open one's content is computed. A
    tab's widget value is its label; the Config keeps the view's id."""
    labels = [t(f"view.{v}", lang) for v in VIEWS]
    st.session_state[VIEW] = labels[VIEWS.index(config().view)]
    tabs = st.tabs(
        labels, key=VIEW, on_change=changed, args=(VIEW, dict(zip(labels, VIEWS, strict=True)))
    )
    return dict(zip(VIEWS, tabs, strict=True))


def bind_lesson() -> dict:
    st.session_state[LESSON] = st.session_state[LESSON_ID]
    return {"key": LESSON, "on_change": start_lesson}


def start_lesson() -> None:
    """Set every control as the chosen lesson says."""
    chosen = st.session_state.get(LESSON) or ""
    lang = config().lang
    if chosen in LESSONS_BY_ID:
        start(lesson_config(LESSONS_BY_ID[chosen], lang), lesson=chosen)
    else:
        st.session_state[LESSON_ID] = ""


def tune() -> None:
    """The fair race: every chosen optimizer at its tuned learning rate."""
    cfg = config()
    put(replace(tuned_config(cfg, tune_all(cfg)), view="race"))


def reset() -> None:
    start(Config(lang=config().lang))


def lesson() -> str:
    return st.session_state[LESSON_ID]


def notices() -> list[Notice]:
    return st.session_state[NOTICES]


def sync_url(cfg: Config) -> None:
    """Write ``cfg`` into the address bar; an unchanged URL writes nothing, so reruns
    add no history entries."""
    q = cfg.to_query()
    if q != st.query_params.to_dict():
        st.query_params.from_dict(q)


def share_url(cfg: Config, embed: bool = False) -> str:
    q = replace(cfg, embed=embed).to_query()
    if embed:
        q["embed"] = "true"  # Streamlit's own embed mode: no header or toolbar
    base = st.context.url or ""
    return base + ("?" + urlencode(q) if q else "")
