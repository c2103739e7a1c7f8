"""Run the benchmarks: ``python -m benchmarks [--quick] [NAME ...]`` (``make bench``).

Each ``benchmarks/<name>_bench.py`` exposes ``main(quick: bool = False) -> dict``
and prints its own times and ratios against a baseline measured in the same run.
Nothing here is a pass/fail test: targets are printed beside the measured ratios.
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys
import time
from pathlib import Path


def available() -> list[str]:
    """Names of the benchmark modules in this package."""
    here = Path(__file__).parent
    return sorted(
        m.name.removesuffix("_bench")
        for m in pkgutil.iter_modules([str(here)])
        if m.name.endswith("_bench")
    )


def run(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "names", nargs="*", help=f"benchmarks to run (default: all of {available()})"
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--json", type=Path, help="also write every result to this JSON file")
    args = parser.parse_args(argv)
    names = args.names or available()
    unknown = sorted(set(names) - set(available()))
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; available: {available()}")
    results = {}
    for name in names:
        print(f"\n=== benchmark: {name} {'(quick)' if args.quick else ''}", flush=True)
        started = time.perf_counter()
        module = importlib.import_module(f"benchmarks.{name}_bench")
        results[name] = module.main(quick=args.quick)
        print(f"=== {name} done in {time.perf_counter() - started:.1f} s", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(run())
