"""Clicks on the page that AppTest has no method for."""

from streamlit.testing.v1 import AppTest

from ui import lazy


def open_settings(at: AppTest, *names: str) -> AppTest:
    """Open the sidebar expanders holding optimizers ``names``' settings, as a student
    clicks them (the page draws a setting's control only while its expander is open)."""
    for name in names:
        at.session_state[lazy.key(name)] = True
    return at.run()
