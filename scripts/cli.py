"""brainlike: train, evaluate, watch, record and benchmark agents on brainlike-gym's bodies.

    brainlike train --agent pattern-separation --body ForagingMouse --steps 200000
    brainlike evaluate --model runs/train/pattern-separation_ForagingMouse-v0_s0
    brainlike enjoy --model runs/train/pattern-separation_ForagingMouse-v0_s0
    brainlike play --body ForagingMouse
    brainlike <command> --help

Each command is also a script (``python scripts/<command>.py``) and the whole is
``python -m brainlike.scripts``; all three parse the same arguments.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from brainlike.scripts import benchmark, demo, enjoy, evaluate, experiment, perf, play, record, soak, train
from brainlike.scripts.common import Command, Parser

COMMANDS: tuple[Command, ...] = tuple(m.COMMAND for m in (train, evaluate, enjoy, record, experiment, benchmark,
                                                          perf, demo, play, soak))


def build_parser() -> Parser:
    parser = Parser(prog="brainlike", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND", required=True, parser_class=Parser)
    for command in COMMANDS:
        p = sub.add_parser(command.name, help=command.summary, description=command.doc,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        command.add_arguments(p)
        p.set_defaults(command=command, command_parser=p)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.command.invoke(args, args.command_parser)


if __name__ == "__main__":
    sys.exit(main())
