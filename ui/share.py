"""The shareable link: shown as text for a projector, and a button that copies it."""

from __future__ import annotations

import html
import json

import streamlit as st

from viz.text import t

# A button that copies the link. The Clipboard API needs a secure context (https or
# localhost); elsewhere it falls back to selecting a hidden field and copying that.
_COPY_BUTTON = """
<button class="copy-link" style="font: inherit; padding: .35rem .9rem; cursor: pointer;
  border: 1px solid #bbb; border-radius: .5rem; background: white;">{label}</button>
<script>
(() => {{
  const button = document.currentScript.previousElementSibling;
  const link = {link};
  button.addEventListener("click", async () => {{
    try {{ await navigator.clipboard.writeText(link); }}
    catch (e) {{
      const field = document.createElement("textarea");
      field.value = link; document.body.appendChild(field); field.select();
      document.execCommand("copy"); field.remove();
    }}
    button.textContent = {done};
  }});
}})();
</script>
"""


def link(url: str, label_key: str, lang: str) -> None:
    """``url`` as text and a copy button (no code block: its highlighter costs a load)."""
    # Inside a code span markdown takes backslashes literally: the URL goes in as it is
    # (it is URL-encoded, so it holds no backtick).
    st.markdown(f"`{url}`" if url else "")
    # json.dumps quotes the strings for the script; "<" is escaped so no "</script>".
    as_js = lambda s: json.dumps(s).replace("<", "\\u003c")  # noqa: E731
    st.html(
        _COPY_BUTTON.format(
            label=html.escape(t(label_key, lang)),
            link=as_js(url),
            done=as_js(t("copied", lang)),
        ),
        unsafe_allow_javascript=True,
    )
