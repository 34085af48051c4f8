"""`tfgan report RUN_DIR`: loss curves, the last sample grid and a summary of a run."""


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "report", help="turn a run directory into curves.png, last_grid.png and report.md",
        description=__doc__)
    parser.add_argument("run_dir", help="a run directory written by `tfgan train`")
    parser.add_argument("--out", default=None, help="output folder (default: RUN_DIR/report)")
    parser.set_defaults(run=run)
    return parser


def run(args):
    from tfgan.report import make_report

    try:
        summary = make_report(args.run_dir, args.out)
    except FileNotFoundError as error:
        raise SystemExit(f"tfgan report: {error}") from error
    for key, path in summary["files"].items():
        print(f"{key}: {path}")
    for finding in summary.get("health", {}).get("findings", []):
        print(f"health: {finding['message']}")
    return 0
