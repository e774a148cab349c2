"""Optimizer Lab: the Streamlit page. main() composes it; the maths lives elsewhere."""

import numpy as np
import plotly.graph_objects as go
import streamlit as st

import functions


def main() -> None:
    st.set_page_config(page_title="Optimizer Lab", layout="wide")
    st.title("Optimizer Lab")
    fn = functions.get("article")
    xs = np.linspace(*fn.bounds, 2001)
    fig = go.Figure(go.Scatter(x=xs, y=fn.f(xs), mode="lines", name="f(x)"))
    st.latex(fn.latex)
    st.plotly_chart(fig)


main()
