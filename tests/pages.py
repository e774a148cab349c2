"""Opening the page, and clicks on it that AppTest has no method for."""

from streamlit.testing.v1 import AppTest

from bench.page import asks_for_rest
from ui import lazy


def new_page(**query) -> AppTest:
    """The page at a link whose query string is ``query``, opened as a browser opens it."""
    return load(link(**query))


def link(**query) -> AppTest:
    """The app at a link whose query string is ``query``, not yet run."""
    at = AppTest.from_file("../app.py", default_timeout=120)
    for k, v in query.items():
        at.query_params[k] = v
    return at


def load(at: AppTest) -> AppTest:
    """Run a new session's page: its first run, then, if that run drew only the race's
    chart, the rerun the browser asks for once the chart is drawn (ui.first_paint)."""
    at.run()
    if asks_for_rest(at):
        at.run()
    return at


def open_settings(at: AppTest, *names: str) -> AppTest:
    """Open the sidebar expanders holding optimizers ``names``' settings, as a student
    clicks them (the page draws a setting's control only while its expander is open)."""
    for name in names:
        at.session_state[lazy.key(name)] = True
    return at.run()


def formulas(at: AppTest) -> list[str]:
    """The bodies of the main area's elements that display a formula: ``st.latex``, and
    markdown holding a ``$$`` block (an update rule under its label, label included)."""
    return [e.value for e in at.main if e.type in ("latex", "markdown") and "$$" in e.value]
