"""Benchmarks for Optimizer Lab, run as ``python -m bench NAME [options]``.

Each benchmark is a module here with a ``main(argv) -> int``, registered by one line in
``bench/__main__.py``. Benchmarks print figures beside their targets; they never make
timed assertions (the tests only check that a ``--quick`` run works).
"""
