"""Serving Optimizer Lab to a class larger than one server process can carry.

``python -m deploy.replicas`` runs several Streamlit replicas of the app behind HAProxy,
with one browser kept on one replica; see deploy/replicas.py and the README.
"""
