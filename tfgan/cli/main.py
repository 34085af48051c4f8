"""The `tfgan` command: `tfgan <command> [options]`.

Each command is a module of this package with `add_parser(subparsers)` and `run(args)`.
Building the parser imports no TensorFlow (the commands import the library inside `run`),
so `tfgan --help` and `tfgan COMMAND --help` answer at once.

Expected failures (bad arguments, missing files, a `ValueError`, `TypeError` or `OSError`
from the library) print one line, `tfgan COMMAND: message`, on stderr and exit with code 2;
`--debug` shows the full traceback instead. TensorFlow's C++ and absl start-up logs are
off unless `--tf-logs` is given or `TFGAN_TF_LOGS=1` is set (`quiet_tensorflow_logs`).
"""

import argparse
import importlib
import logging
import os
import sys

COMMANDS = ("train", "presets", "export", "sample", "apply", "evaluate", "report", "monitor")
EXPECTED_ERRORS = (ValueError, TypeError, OSError)
TF_LOGS_VARIABLE = "TFGAN_TF_LOGS"
EXIT_ERROR = 2


class CommandError(Exception):
    """An expected failure of a command line: reported as `PROG: message`, exit code 2."""

    def __init__(self, prog, message):
        super().__init__(message)
        self.prog = prog


class _Parser(argparse.ArgumentParser):
    """An `ArgumentParser` whose usage errors raise `CommandError` (one line, exit 2)."""

    def error(self, message):
        raise CommandError(self.prog, f"{message} (see `{self.prog} --help`)")


def _add_global_flags(parser, default):
    parser.add_argument("--debug", action="store_true", default=default,
                        help="show the full traceback of an error")
    parser.add_argument("--tf-logs", action="store_true", default=default,
                        help=f"show TensorFlow's C++ and absl logs (also: {TF_LOGS_VARIABLE}=1)")


def build_parser():
    """Returns the argument parser with every command's sub-parser."""
    parser = _Parser(prog="tfgan",
                     description="Train, sample, evaluate and export GANs (Keras 3).")
    _add_global_flags(parser, default=False)
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"tfgan.cli.{name}").add_parser(subparsers)
    # The same flags after the command (`tfgan train --debug`); SUPPRESS keeps a flag given
    # before the command from being reset by the sub-parser's default.
    for subparser in subparsers.choices.values():
        _add_global_flags(subparser, default=argparse.SUPPRESS)
    return parser


def quiet_tensorflow_logs(enabled):
    """Imports TensorFlow with its C++ and absl start-up logs off.

    TensorFlow 2.21 writes its start-up lines (oneDNN, CUDA stubs, "All log messages
    before absl::InitializeLog()", CUDA's device discovery) before it reads
    `TF_CPP_MIN_LOG_LEVEL`, so the import and the device discovery run with the process' stderr pointed at `os.devnull`; `TF_CPP_MIN_LOG_LEVEL=3` and
    the `tensorflow`/`absl` loggers at ERROR keep the later ones off. Values the user set
    in the environment are kept. A Python error of the import still reaches stderr.

    Args:
        enabled: if True (`--tf-logs`, or `TFGAN_TF_LOGS=1`), change nothing.
    """
    if enabled or os.environ.get(TF_LOGS_VARIABLE, "") not in ("", "0"):
        return
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    logging.getLogger("absl").setLevel(logging.ERROR)
    if "tensorflow" in sys.modules:
        return
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            try:
                import tensorflow

                # Device discovery (CUDA's "failed call to cuInit" on machines without a
                # GPU) logs on first use: run it here, inside the quiet window.
                tensorflow.config.list_physical_devices()
            finally:
                os.dup2(saved, 2)
    finally:
        os.close(saved)


def _one_line(message):
    return " ".join(str(message).split())


def main(argv=None):
    """Entry point of the `tfgan` console script. Returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except CommandError as error:
        print(f"{error.prog}: {_one_line(error)}", file=sys.stderr)
        return EXIT_ERROR
    quiet_tensorflow_logs(args.tf_logs)
    prog = f"tfgan {args.command}"
    try:
        import tfgan

        tfgan.load_all()  # registers every class a .keras file may name
        return args.run(args) or 0
    except SystemExit as error:  # a command's own one-line refusal
        if not isinstance(error.code, str) or args.debug:
            raise
        message = error.code.removeprefix(f"{prog}: ").removeprefix("tfgan: ")
    except EXPECTED_ERRORS as error:
        if args.debug:
            raise
        message = str(error) or type(error).__name__
    print(f"{prog}: {_one_line(message)}", file=sys.stderr)
    return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
