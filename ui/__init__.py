"""Streamlit glue: widgets, URL sync and caches. The maths and figures live elsewhere."""
