"""Run published-result analogues by name and judge them against their criteria.

    brainlike experiment first-loom one-life --budget full
    brainlike experiment all --budget small --out runs/experiments

    brainlike experiment dead-sea-salt --seeds 0-9 --workers 2        # judged across ten seeds
    brainlike experiment all --seeds 0-4 --backend ray --address auto  # on a Ray cluster

Each experiment runs once per seed and prints, per criterion, the seeds that
pass it and the mean of its measured value with a 95% interval over seeds; it
is PASS only if every criterion passes on every seed. ``--out`` gets
``<name>.json`` / ``<name>.md`` (the judgement across seeds) and
``<name>/<budget>/seed-<k>/`` (each seed's numbers, table and figure). A rerun
with the same ``--out`` skips finished seeds. The verdict that counts is the one
at ``--budget full``; ``small`` is a quick smoke run. (Same as ``python scripts/experiment.py ...``.)
"""

from __future__ import annotations

import argparse
import sys

from brainlike.scripts.common import Command, add_seeds, check_output_dir, positive_int, require_extra


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from brainlike.agents.experiments import BUDGETS, EXPERIMENTS

    parser.add_argument("names", nargs="+", help=f"experiments to run, or 'all' ({', '.join(EXPERIMENTS)})")
    parser.add_argument("--budget", choices=BUDGETS, default="full", help="full (the verdict) or small (smoke)")
    from brainlike.agents.backends import BACKENDS

    add_seeds(parser, [0], "each experiment runs once per seed and is judged across them")
    parser.add_argument("--workers", type=positive_int, default=1,
                        help="seeds run at once on this machine (default 1); with --backend ray and no --address, "
                             "the CPUs of the local Ray it starts")
    parser.add_argument("--backend", choices=BACKENDS, default="local",
                        help="where seeds run: local (the default) or ray (needs the [ray] extra)")
    parser.add_argument("--address", default=None,
                        help="with --backend ray: an existing cluster ('auto', or ray://host:port); none starts a local Ray")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--out", default="runs/experiments", help="output folder (default runs/experiments)")
    parser.add_argument("--strict", action="store_true", help="exit with status 1 if any experiment FAILs")


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from brainlike.agents.experiments import EXPERIMENTS, get_experiment

    names = list(EXPERIMENTS) if args.names == ["all"] else args.names
    for name in names:
        try:
            get_experiment(name)
        except ValueError as e:
            parser.error(str(e))
    if args.address is not None and args.backend != "ray":
        parser.error(f"--address {args.address!r} needs --backend ray")
    if args.backend == "ray":
        require_extra("ray", "--backend ray")
    require_extra("report", "the experiments' figures")
    out = check_output_dir(parser, args.out)

    from brainlike.agents.experiments.seeds import run_over_seeds

    for name in names:
        exp = get_experiment(name)
        print(f"== {name}: {exp.summary}\n   {exp.paper} ({exp.link})", flush=True)
    from brainlike.agents.backends import BackendUnavailable

    try:
        summaries = run_over_seeds(names, args.budget, args.seeds, out, backend=args.backend, workers=args.workers,
                                   address=args.address, progress=not args.no_progress)
    except BackendUnavailable as e:  # a cluster that cannot be reached is the user's address, not a bug
        parser.error(str(e))
    failed = []
    for s in summaries:
        print(f"\n{s.table()}\n   summary: {out / (s.name + '.json')}  {out / (s.name + '.md')}", flush=True)
        if not s.passed:
            failed.append(s.name)
    print(f"\n{len(names) - len(failed)} of {len(names)} experiments PASS on every seed"
          + (f"; FAIL: {', '.join(failed)}" if failed else ""))
    return 1 if (failed and args.strict) else 0


COMMAND = Command("experiment", __doc__, add_arguments, run)


def main(argv: list[str] | None = None) -> int:
    return COMMAND.main(argv)


if __name__ == "__main__":
    sys.exit(main())
