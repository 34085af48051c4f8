"""`tfgan sample`: write a grid of samples from an exported generator (SavedModel or ONNX)."""


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "sample", help="sample a grid from an exported generator", description=__doc__)
    parser.add_argument("--model", required=True,
                        help="an export directory, a SavedModel directory or a .onnx file")
    parser.add_argument("--n", type=int, default=64, help="number of samples (default: 64)")
    parser.add_argument("--out", default="samples.png", help="output PNG (default: samples.png)")
    parser.add_argument("--seed", type=int, default=0, help="latent seed (default: 0)")
    parser.add_argument("--label", type=int, default=None,
                        help="class of every sample (conditional generators; default: "
                             "cycle through the classes, one row each)")
    parser.add_argument("--backend", choices=("savedmodel", "onnx"), default=None,
                        help="force a runtime (default: from the path)")
    parser.set_defaults(run=run)
    return parser


def run(args):
    import numpy as np

    from tfgan.export import load_generator
    from tfgan.utils.images import save_grid
    from tfgan.utils.validation import check_positive_int

    check_positive_int("--n", args.n)
    generator = load_generator(args.model, backend=args.backend)
    if generator.kind == "image":
        raise SystemExit("tfgan sample: this generator translates images (it takes `image`, "
                         "not latents); use tfgan.export.load_generator in Python.")
    feeds = {"z": generator.latents(args.n, args.seed)}
    rows = None
    if generator.kind == "conditional":
        classes = generator.num_classes
        if args.label is not None:
            feeds["label"] = np.full((args.n,), args.label, "int32")
        else:
            cols = -(-args.n // classes)
            feeds["label"] = np.minimum(np.arange(args.n) // cols, classes - 1).astype("int32")
            rows = -(-args.n // cols)
    elif args.label is not None:
        raise SystemExit("tfgan sample: --label given but the generator is unconditional.")
    images = generator(**feeds)
    save_grid(images, args.out, rows=rows)
    print(f"tfgan sample: {args.n} samples ({generator.backend}) -> {args.out}")
    return 0
