"""Figures, page state and text: pure Python, testable without a browser."""
