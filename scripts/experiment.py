"""Run published-result analogues by name and judge them against their criteria.

    brainlike experiment first-loom one-life --budget full
    brainlike experiment all --budget small --out runs/experiments

    brainlike experiment dead-sea-salt --seeds 0-9 --workers 2        # judged across ten seeds
    brainlike experiment all --seeds 0-4 --backend ray --address auto  # on a Ray cluster
    brainlike experiment first-loom --sensitivity 0.2                  # and with each key constant +-20%

Each experiment runs once per seed (by default seeds 0-4 at the full budget,
0-1 at the small one) and prints, per criterion, the seeds that
pass it and the mean of its measured value with a 95% interval over seeds; it
is PASS only if every criterion passes on every seed. ``--out`` gets
``<name>.json`` / ``<name>.md`` (the judgement across seeds) and
``<name>/<budget>/seed-<k>/`` (each seed's numbers, table and figure).
``--sensitivity BAND`` also runs every seed with each of the experiment's key
steering constants scaled by 1 - BAND and 1 + BAND and writes
``<name>-sensitivity.md``: whether the PASS holds across the band, or is a
knife-edge. A rerun with the same ``--out`` skips finished seeds. The verdict that counts is the one
at ``--budget full``; ``small`` is a quick smoke run. (Same as ``python scripts/experiment.py ...``.)
"""

from __future__ import annotations

import argparse
import sys

from brainlike.scripts.common import Command, add_seeds, check_output_dir, positive_int, require_extra

#: Seeds an experiment is judged over when ``--seeds`` is not given: at least five for a verdict.
DEFAULT_SEEDS = {"full": list(range(5)), "small": [0, 1]}


def band(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"must be a fraction in (0, 1), e.g. 0.2 for +-20%, got {text!r}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from brainlike.agents.experiments import BUDGETS, EXPERIMENTS

    parser.add_argument("names", nargs="+", help=f"experiments to run, or 'all' ({', '.join(EXPERIMENTS)})")
    parser.add_argument("--budget", choices=BUDGETS, default="full", help="full (the verdict) or small (smoke)")
    from brainlike.agents.backends import BACKENDS

    add_seeds(parser, None, "each experiment runs once per seed and is judged across them "
                            f"(default {' '.join(map(str, DEFAULT_SEEDS['full']))} at the full budget, "
                            f"{' '.join(map(str, DEFAULT_SEEDS['small']))} at the small one)")
    parser.add_argument("--sensitivity", type=band, default=None, metavar="BAND",
                        help="also judge with each key steering constant scaled by 1-BAND and 1+BAND (e.g. 0.2)")
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
    seeds = args.seeds if args.seeds is not None else DEFAULT_SEEDS[args.budget]
    if args.sensitivity is not None:
        undeclared = [n for n in names if not get_experiment(n).sensitivity]
        if undeclared:
            parser.error(f"--sensitivity: {', '.join(undeclared)} declare no key steering constants "
                         "(Experiment.sensitivity)")
    out = check_output_dir(parser, args.out)

    from brainlike.agents.experiments.seeds import run_over_seeds, run_sensitivity

    for name in names:
        exp = get_experiment(name)
        print(f"== {name}: {exp.summary}\n   {exp.paper} ({exp.link})", flush=True)
    from brainlike.agents.backends import BackendUnavailable

    try:
        backend = dict(backend=args.backend, workers=args.workers, address=args.address, progress=not args.no_progress)
        summaries = run_over_seeds(names, args.budget, seeds, out, **backend)
        bands = run_sensitivity(names, args.budget, seeds, out, args.sensitivity, **backend) if args.sensitivity else []
    except BackendUnavailable as e:  # a cluster that cannot be reached is the user's address, not a bug
        parser.error(str(e))
    for b in bands:
        print(f"\n{b.table()}\n   {out / (b.name + '-sensitivity.md')}", flush=True)
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
