"""The `tfgan` command: `tfgan <command> [options]`.

Each command is a module of this package with `add_parser(subparsers)` and `run(args)`.
"""

import argparse
import importlib
import sys

COMMANDS = ("train", "export", "sample")


def build_parser():
    """Returns the argument parser with every command's sub-parser."""
    parser = argparse.ArgumentParser(
        prog="tfgan", description="Train, sample, evaluate and export GANs (Keras 3).")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"tfgan.cli.{name}").add_parser(subparsers)
    return parser


def main(argv=None):
    """Entry point of the `tfgan` console script. Returns the exit code."""
    args = build_parser().parse_args(argv)
    return args.run(args) or 0


if __name__ == "__main__":
    sys.exit(main())
