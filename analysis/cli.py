"""The ``parallax`` command line: report, analyze, verify, batch."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from analysis.errors import Interrupted, ParallaxError


class _ParameterAction(argparse.Action):
    """Collects ``-p NAME VALUE`` pairs into a dict (later ones win)."""

    def __call__(self, parser, namespace, values, option_string=None):
        name, value = values
        params = dict(getattr(namespace, self.dest) or {})
        params[name] = value
        setattr(namespace, self.dest, params)


def _add_parameter_option(parser: argparse.ArgumentParser, help_text: str) -> None:
    """The repeatable ``-p NAME VALUE`` option shared by report, analyze and batch."""
    parser.add_argument("-p", "--parameter", nargs=2, metavar=("NAME", "VALUE"), action=_ParameterAction,
                        dest="parameters", default={}, help=help_text)


def _add_scheduler_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scheduler", metavar="ADDRESS", default="",
                        help="run the analysis's stages as tasks on the Dask scheduler at ADDRESS "
                             "(tcp://HOST:PORT); the tables are the same as a local run's")


def _scheduler_keyword(args) -> dict:
    """``{"scheduler": ADDRESS}`` once the address is checked and answering (one line, exit 2 if not);
    ``{}`` without ``--scheduler``, so a local run calls the runners exactly as before."""
    from analysis.report.parameters import check_scheduler_address

    from analysis.engine import check_scheduler, local_processes

    address = check_scheduler_address(args.scheduler)
    if not address:
        local_processes()  # a bad PARALLAX_PROCESSES is one line before any work starts
        return {}

    check_scheduler(address)
    return {"scheduler": address}


def _add_no_wait_option(parser: argparse.ArgumentParser) -> None:
    """``--no-wait``, shared by the commands that write an output folder."""
    parser.add_argument("--no-wait", action="store_true",
                        help="fail at once if another parallax run is writing the same output folder "
                             "(default: say so and wait for it)")


def _parameter_help() -> str:
    """The report notebook's parameters, for ``parallax report --help``."""
    from analysis.report.run import DEFAULT_NOTEBOOK, RUNNER_PARAMETERS, notebook_parameters

    try:
        params = notebook_parameters(DEFAULT_NOTEBOOK)
    except Exception as exc:  # help must print even if the notebook is broken
        return f"(could not read the notebook's parameters: {exc})"
    lines = [f"parameters of {DEFAULT_NOTEBOOK.name} (-p NAME VALUE):"]
    for p in params:
        if p.name in RUNNER_PARAMETERS:
            continue
        lines.append(f"  {p.name} ({p.type}, default {p.default!r}): {p.help}")
    return "\n".join(lines)


def _analysis_parameter_help() -> str:
    """The analysis parameters, for ``parallax analyze --help`` (the lines ``report --help`` gives them)."""
    from analysis.report.parameters import PARAMETERS

    lines = ["parameters (-p NAME VALUE):"]
    lines += [f"  {p.name} ({p.type.__name__}, default {p.default!r}): {p.comment()}" for p in PARAMETERS.values()]
    return "\n".join(lines)


def build_parser(with_notebook_help: bool = False) -> argparse.ArgumentParser:
    """The argument parser (``with_notebook_help`` reads the notebook for ``report --help``)."""
    parser = argparse.ArgumentParser(
        prog="parallax",
        description="Compare how news outlets cover the same story: readability, entities, "
                    "overlap, quotes and numbers, as a reproducible report.",
    )
    from analysis import __version__

    parser.add_argument("--version", action="version", version=f"parallax {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    report = sub.add_parser(
        "report", help="execute the report notebook on a corpus into a report folder",
        description="Execute notebooks/report.ipynb on CORPUS with papermill and write the executed "
                    "notebook, report.html, figures/, tables/ and manifest.json into --out. The folder "
                    "appears only when the report is complete.",
        epilog=_parameter_help() if with_notebook_help else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    report.add_argument("corpus", help="corpus folder (one .txt per article, optional sources.csv)")
    report.add_argument("--out", required=True,
                        help="report folder to create, or to replace if it is empty or a report parallax wrote")
    _add_no_wait_option(report)
    _add_parameter_option(report, "notebook parameter (repeatable)")
    _add_scheduler_option(report)

    analyze = sub.add_parser(
        "analyze", help="write the report's tables only (no notebook), for scripting",
        description="Run every analysis section on CORPUS and write tables/*.csv into --out. The -p parameters "
                    "and their allowed values are the report's.",
        epilog=_analysis_parameter_help(), formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    analyze.add_argument("corpus", help="corpus folder")
    analyze.add_argument("--out", required=True,
                         help="folder for tables/ and manifest.json (new, empty, or written by parallax)")
    _add_no_wait_option(analyze)
    _add_parameter_option(analyze, "analysis parameter (repeatable)")
    _add_scheduler_option(analyze)

    verify = sub.add_parser(
        "verify", help="re-check a report against its manifest",
        description="Compare every input and output file of a report with the sha256 its manifest "
                    "records, and say what changed. Exit status 1 when anything differs.",
    )
    verify.add_argument("report", help="report folder (holding manifest.json)")
    verify.add_argument("--corpus", help="where the corpus is now (default: the path in the manifest)")

    batch = sub.add_parser(
        "batch", help="report every corpus folder under a root, in parallel; skip those up to date",
        description="Run `parallax report` on every corpus folder under ROOT (a sub-folder holding .txt, .csv "
                    "or .jsonl articles) into DIR/<corpus>/, with progress bars, and write the summary "
                    "DIR/batch.csv (corpus, status, seconds, report, error). A corpus whose report's manifest "
                    "fingerprint matches its current inputs, parameters and software is skipped unless --force; "
                    "an interrupted batch resumes where it stopped. One failing corpus does not stop the "
                    "others; the exit status is 1 if any failed.",
        epilog="The -p parameters are the report notebook's: see `parallax report --help`.",
    )
    batch.add_argument("root", metavar="ROOT", help="folder holding one sub-folder per corpus")
    batch.add_argument("--out", required=True, metavar="DIR", help="folder for the report folders and batch.csv")
    batch.add_argument("--jobs", "-j", type=int, default=1, metavar="N",
                       help="reports to run at the same time, each with its own kernel (default 1)")
    batch.add_argument("--force", action="store_true", help="re-run corpora whose report is up to date")
    _add_no_wait_option(batch)
    _add_parameter_option(batch, "notebook parameter for every corpus (repeatable)")
    _add_scheduler_option(batch)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``parallax`` command; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    wants_report_help = len(argv) >= 2 and argv[0] == "report" and ("-h" in argv or "--help" in argv)
    args = build_parser(with_notebook_help=wants_report_help).parse_args(argv)
    previous_sigterm = _stop_on_sigterm() if args.command in ("report", "analyze") else None
    try:
        return _COMMANDS[args.command](args)
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: what was being written has been removed
        from analysis.corpus.inputs import printable

        exc = Interrupted(f"interrupted; {printable(args.out)} was left as it was" if hasattr(args, "out")
                          else "interrupted")
        print(f"parallax {args.command}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except ParallaxError as exc:
        print(f"parallax {args.command}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except (ValueError, FileNotFoundError) as exc:  # not yet a ParallaxError: still one line
        print(f"parallax {args.command}: error: {exc}", file=sys.stderr)
        return 2
    finally:
        if previous_sigterm is not None:
            signal.signal(signal.SIGTERM, previous_sigterm)


def _raise_keyboard_interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _stop_on_sigterm():
    """Make SIGTERM stop a run like Ctrl-C does (cleaning up); return the previous handler, or None."""
    try:
        return signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
    except ValueError:  # not the main thread (main() called from a thread): leave SIGTERM as it is
        return None


def _report(args) -> int:
    from analysis.report.process_setup import skip_unused_imports
    from analysis.report.run import coerce_parameters, run_report

    skip_unused_imports()  # before papermill is imported

    import time

    from analysis.report.progress import report_summary

    parameters = coerce_parameters(args.parameters)
    scheduler = _scheduler_keyword(args)
    started = time.monotonic()
    # a bar over the report's sections on a terminal; nothing in a pipe or a log
    result = run_report(args.corpus, args.out, parameters, wait=not args.no_wait, progress=sys.stderr.isatty(),
                        **scheduler)
    print(report_summary(result.path, result.manifest, time.monotonic() - started))
    return 0


def _analyze(args) -> int:
    from analysis.report.parameters import parse_parameters
    from analysis.report.pipeline import write_analysis

    # -p values arrive as strings: parsed and range-checked as `report` does
    # (else "false" is a true value and "8" is not a number).
    parameters = parse_parameters(args.parameters)
    tables = write_analysis(args.corpus, args.out, parameters, wait=not args.no_wait, **_scheduler_keyword(args))
    out = Path(args.out) / "tables"
    print(f"{len(tables)} tables written to {out}: {', '.join(sorted(tables))}")
    return 0


def _verify(args) -> int:
    from analysis.report.manifest import verify_report

    table = verify_report(args.report, args.corpus)
    problems = table[table["status"] != "ok"]
    if problems.empty:
        print(f"{args.report}: all {len(table)} files match the manifest")
        return 0
    for row in problems.itertuples(index=False):
        print(f"{row.status:8} {row.kind:6} {row.path}")
    print(f"{args.report}: {len(problems)} of {len(table)} files differ from the manifest")
    return 1


def _batch(args) -> int:
    import pandas as pd

    from analysis.report.process_setup import skip_unused_imports
    from analysis.report.run import coerce_parameters

    skip_unused_imports()  # before papermill is imported
    from analysis.report.batch import BATCH_TABLE, run_batch

    parameters = coerce_parameters(args.parameters) if args.parameters else {}
    table = run_batch(args.root, args.out, parameters, jobs=args.jobs, force=args.force,  # Interrupted: exit 130
                      wait=not args.no_wait, **_scheduler_keyword(args))
    with pd.option_context("display.max_colwidth", 100, "display.width", 200):
        print(table.to_string(index=False))
    counts = table["status"].value_counts()
    print(f"{len(table)} {'corpus' if len(table) == 1 else 'corpora'}: " + ", ".join(f"{counts.get(s, 0)} {s}" for s in ("ok", "skipped", "failed"))
          + f"; summary in {Path(args.out) / BATCH_TABLE}")
    return 1 if counts.get("failed", 0) else 0


_COMMANDS = {"report": _report, "analyze": _analyze, "verify": _verify, "batch": _batch}

if __name__ == "__main__":
    sys.exit(main())
