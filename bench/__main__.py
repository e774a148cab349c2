"""``python -m bench NAME [options]``: dispatch to the benchmark module called NAME.

``python -m bench NAME --help`` lists that benchmark's own options.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# NAME -> (module, one-line description). The module defines ``main(argv) -> int`` and
# parses ``argv`` (the arguments after NAME) itself. Adding a benchmark is one line here.
COMMANDS: dict[str, tuple[str, str]] = {
    "engine": ("bench.engine", "numerical core: sweep throughput, scalar-loop ratio, single runs"),
    "browser": ("bench.browser", "headless Chromium: page load to chart, control change to chart"),
    "page": ("bench.page", "AppTest rerun after a slider change, beside a bare chart page"),
    "classroom": ("bench.classroom", "websocket students: this app beside a bare page, under load"),
    "sweep": ("bench.sweep", "Explore sweep map: 100 x 100 x 1000-step Adam, scalar-loop ratio"),
    "tune": ("bench.tune", "the fair race: tune every optimizer's lr (one vectorised run each)"),
}


def main(argv: list[str] | None = None) -> int:
    listing = "\n".join(f"  {name:<10} {doc}" for name, (_, doc) in COMMANDS.items())
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Optimizer Lab benchmarks.",
        epilog=f"benchmarks:\n{listing}\n\n'python -m bench NAME --help' shows its options.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "name", nargs="?", choices=COMMANDS, metavar="NAME", help="the benchmark to run"
    )
    parser.add_argument("args", nargs=argparse.REMAINDER, help="options for that benchmark")
    ns = parser.parse_args(argv)
    if ns.name is None:
        parser.error(f"choose a benchmark: {', '.join(COMMANDS)}")
    # Imported only when chosen, so one benchmark's dependencies never slow another.
    module = importlib.import_module(COMMANDS[ns.name][0])
    return module.main(ns.args)


if __name__ == "__main__":
    sys.exit(main())
