"""Run the benchmarks: ``python -m bench [NAME ...]`` (default: all), as ``make bench`` does.

Each ``bench/bench_<name>.py`` prints its result, with ratios against the
plain-library baseline measured in the same run. A benchmark whose result
has a ``last_line`` (its headline, e.g. ``COUNTER held-out derived F1 ...``)
gets it repeated after all timings, so the run ends with it. Benchmarks read real data
from ``../shared/benchmarks`` (never copied into the project); one that
cannot find its data says so and the others still run.
"""

from __future__ import annotations

import importlib
import sys
import time
import traceback
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent


def available() -> list[str]:
    """Names of the benchmark modules, in a fixed order (report first)."""
    names = sorted(p.stem.removeprefix("bench_") for p in BENCH_DIR.glob("bench_*.py"))
    return sorted(names, key=lambda n: (n != "report", n))


def main(argv: list[str] | None = None) -> int:
    names = list(sys.argv[1:] if argv is None else argv) or available()
    unknown = sorted(set(names) - set(available()))
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(available())}")
        return 2
    failed, last_lines = [], []
    for name in names:
        print(f"\n=== bench {name} ===", flush=True)
        start = time.perf_counter()
        try:
            result = importlib.import_module(f"bench.bench_{name}").main([])
            if isinstance(result, dict) and result.get("last_line"):
                last_lines.append(result["last_line"])
        except SystemExit as exc:  # a bench that cannot find its data
            print(f"skipped: {exc}")
        except Exception:
            traceback.print_exc()
            failed.append(name)
        print(f"--- {name}: {time.perf_counter() - start:.1f} s", flush=True)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    if last_lines:
        print("\n" + "\n".join(last_lines))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
