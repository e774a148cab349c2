"""A session's first page: the race's chart first, then the whole page (ui.first_paint)."""

import pytest
from streamlit.testing.v1 import AppTest

from bench.page import asks_for_rest
from tests.pages import link
from viz.text import t


def first_run(**query) -> AppTest:
    return link(**query).run()


def sidebar_widgets(at: AppTest) -> list:
    return [w for w in at.sidebar if hasattr(w, "key") and w.key]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_first_run_draws_the_race_chart_and_asks_for_the_rest(lang):
    at = first_run(lang=lang)
    assert not at.exception
    assert [c.proto.id.endswith("landscape") for c in at.get("plotly_chart")] == [True]
    assert asks_for_rest(at)
    # The sidebar says where the controls will be; none is drawn yet.
    assert [c.value for c in at.sidebar.caption] == [t("controls_coming", lang)]
    assert sidebar_widgets(at) == []
    # The rerun the browser asks for draws the whole page, and asks for nothing more.
    at.run()
    assert not at.exception
    assert not asks_for_rest(at)
    assert [c.proto.id.endswith("landscape") for c in at.get("plotly_chart")] == [True, False]
    assert {"steps", "opt", "fn"} <= {w.key for w in sidebar_widgets(at)}
    assert at.dataframe and at.latex
    assert t("controls_coming", lang) not in [c.value for c in at.sidebar.caption]


def test_later_runs_draw_the_whole_page_whatever_they_show():
    at = first_run()
    at.run()
    at.slider(key="steps").set_value(200).run()
    assert not asks_for_rest(at)
    assert len(at.get("plotly_chart")) == 2


@pytest.mark.parametrize("view", ["explore", "article"])
def test_a_first_page_without_the_race_is_whole_at_once(view):
    at = first_run(view=view)
    assert not at.exception
    assert not asks_for_rest(at)
    assert {"steps", "opt"} <= {w.key for w in sidebar_widgets(at)}
