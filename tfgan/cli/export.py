"""`tfgan export`: export a trained generator as a SavedModel and/or ONNX model."""

import pathlib


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "export", help="export a generator (SavedModel, ONNX) with metadata and parity checks",
        description=__doc__)
    parser.add_argument("source", help="a run directory of `tfgan train` (its gan.keras) or a "
                                       ".keras file of a GAN or a generator")
    parser.add_argument("--format", default="savedmodel,onnx",
                        help="comma-separated formats: savedmodel, onnx, keras "
                             "(default: savedmodel,onnx)")
    parser.add_argument("--out", required=True, help="export directory, e.g. saved_models/NAME")
    parser.add_argument("--overwrite", action="store_true",
                        help="replace an existing tfgan export at --out (never anything else)")
    parser.add_argument("--tolerance", type=float, default=1e-5,
                        help="parity tolerance, max abs difference (default: 1e-5)")
    parser.add_argument("--monitor-samples", type=int, default=2000,  # monitor.DEFAULT_NUM_SAMPLES
                        help="fixed-seed samples in the monitoring reference for `tfgan "
                             "monitor` (default: 2000)")
    parser.add_argument("--no-monitor", action="store_true",
                        help="record no monitoring reference")
    parser.set_defaults(run=run)
    return parser


def keras_file(source):
    """The `.keras` file of a run directory (its `gan.keras`) or the file itself."""
    source = pathlib.Path(source)
    if source.is_dir():
        source = source / "gan.keras"
    if not source.is_file() or source.suffix != ".keras":
        raise SystemExit(f"tfgan: expected a .keras file or a run directory holding gan.keras. "
                         f"Received: {str(source)!r}")
    return source


def run(args):
    import keras

    from tfgan import export
    from tfgan.utils.validation import check_positive_int

    source = keras_file(args.source)
    formats = tuple(f.strip() for f in args.format.split(",") if f.strip())
    monitor_samples = None if args.no_monitor else check_positive_int(
        "--monitor-samples", args.monitor_samples, minimum=2)
    try:
        export.check_destination(args.out, overwrite=args.overwrite)
        model = keras.saving.load_model(source)
        metadata = export.export_generator(model, args.out, formats=formats,
                                           overwrite=args.overwrite, tolerance=args.tolerance,
                                           monitor_samples=monitor_samples)
    except FileExistsError as error:
        raise SystemExit(f"tfgan export: {error}") from None
    print(f"tfgan export: wrote {args.out} ({', '.join(formats)}); parity max abs difference "
          f"{metadata['parity_max_abs_difference']}")
    monitor = metadata["monitor"]
    if monitor.get("reference_file"):
        print(f"tfgan export: monitoring reference of {monitor['num_samples']} samples "
              f"(extractor {monitor['extractor']['name']}, self-check FID "
              f"{monitor['self_check']['fid']:.4g})")
    else:
        print(f"tfgan export: no monitoring reference: {monitor['reason']}")
    return 0
