"""Run published-result analogues by name and judge them against their criteria.

    brainlike experiment first-loom one-life --budget full
    brainlike experiment all --budget small --out runs/experiments

Each experiment prints a table of measured metrics against its criteria with
PASS/FAIL, and writes ``<name>.json`` (numbers), ``<name>.md`` (the table) and
``<name>.png`` (its figure) into ``--out``. The verdict that counts is the one
at ``--budget full``; ``small`` is a quick smoke run. (Same as ``python scripts/experiment.py ...``.)
"""

from __future__ import annotations

import argparse
import sys

from brainlike.scripts.common import Command, check_output_dir, non_negative_int, require_extra


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from brainlike.agents.experiments import BUDGETS, EXPERIMENTS

    parser.add_argument("names", nargs="+", help=f"experiments to run, or 'all' ({', '.join(EXPERIMENTS)})")
    parser.add_argument("--budget", choices=BUDGETS, default="full", help="full (the verdict) or small (smoke)")
    parser.add_argument("--seed", type=non_negative_int, default=0, help="seed of the experiment (default 0)")
    parser.add_argument("--out", default="runs/experiments", help="output folder (default runs/experiments)")
    parser.add_argument("--strict", action="store_true", help="exit with status 1 if any experiment FAILs")


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from brainlike.agents.experiments import EXPERIMENTS, get_experiment, write_result

    names = list(EXPERIMENTS) if args.names == ["all"] else args.names
    for name in names:
        try:
            get_experiment(name)
        except ValueError as e:
            parser.error(str(e))
    require_extra("report", "the experiments' figures")
    out = check_output_dir(parser, args.out)

    failed = []
    for name in names:
        exp = get_experiment(name)
        print(f"\n== {name}: {exp.summary}\n   {exp.paper} ({exp.link})", flush=True)
        result = exp.run(args.budget, args.seed, out)
        js, md = write_result(result, out)
        print(result.table())
        print(f"   numbers: {js}   table: {md}   figure: {result.figure}")
        if not result.passed:
            failed.append(name)
    print(f"\n{len(names) - len(failed)} of {len(names)} experiments PASS" + (f"; FAIL: {', '.join(failed)}" if failed else ""))
    return 1 if (failed and args.strict) else 0


COMMAND = Command("experiment", __doc__, add_arguments, run)


def main(argv: list[str] | None = None) -> int:
    return COMMAND.main(argv)


if __name__ == "__main__":
    sys.exit(main())
