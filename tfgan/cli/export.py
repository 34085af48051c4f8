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

    source = keras_file(args.source)
    formats = tuple(f.strip() for f in args.format.split(",") if f.strip())
    try:
        export.check_destination(args.out, overwrite=args.overwrite)
        model = keras.saving.load_model(source)
        metadata = export.export_generator(model, args.out, formats=formats,
                                           overwrite=args.overwrite, tolerance=args.tolerance)
    except FileExistsError as error:
        raise SystemExit(f"tfgan export: {error}") from None
    print(f"tfgan export: wrote {args.out} ({', '.join(formats)}); parity max abs difference "
          f"{metadata['parity_max_abs_difference']}")
    return 0
