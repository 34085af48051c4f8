"""`tfgan sample`: write a grid of samples from an exported generator (SavedModel or ONNX).

Noise generators sample from seeded latents; image-to-image generators (Pix2Pix, CycleGAN)
translate the first `--n` images of `--inputs FOLDER` (halves of side-by-side pairs with
`--pair-side`), and the grid shows the inputs above their translations. Inpainting
generators fill holes cut into those images (`--mask center|rectangles|free_form`, drawn
from `--seed`, or the mask images of `--masks FOLDER`, one per input in name order); the
grid shows the masked inputs, the completions and the originals.
"""


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
    parser.add_argument("--inputs", default=None,
                        help="folder of input images (image-to-image generators)")
    parser.add_argument("--pair-side", choices=("left", "right"), default=None,
                        help="the inputs are side-by-side pairs: translate this half "
                             "(facades: right)")
    parser.add_argument("--mask", choices=("center", "rectangles", "free_form"),
                        default="center",
                        help="holes cut into --inputs for inpainting generators (default: "
                             "center)")
    parser.add_argument("--masks", default=None,
                        help="folder of mask images (white = hole) for inpainting "
                             "generators, instead of --mask")
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
    if generator.kind == "inpaint":
        return _inpaint(args, generator)
    if generator.kind == "image":
        return _translate(args, generator)
    if args.inputs is not None:
        raise ValueError("--inputs is for image-to-image generators; this one takes latents. "
                         f"Received: --inputs={args.inputs}")
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


def _read_inputs(args, image_shape):
    """The first `--n` images of `--inputs`, resized to `image_shape`, in [-1, 1]."""
    import pathlib

    import numpy as np

    from tfgan import datasets

    folder = pathlib.Path(args.inputs)
    if not folder.is_dir():
        raise FileNotFoundError(f"--inputs: no such folder. Received: --inputs={args.inputs}")
    size = image_shape[0]
    if args.pair_side:
        dataset = datasets.paired_dataset(folder, batch_size=args.n, image_size=size,
                                          input_side=args.pair_side, jitter=False,
                                          shuffle=False, limit=args.n)
        return np.concatenate([x.numpy() for x, _ in dataset])
    dataset = datasets.from_folder(folder, image_size=image_shape[:2],
                                   channels=image_shape[2], batch_size=args.n, shuffle=False,
                                   cache=False, drop_remainder=False)
    return next(iter(dataset)).numpy()[:args.n]


def _translate(args, generator):
    import numpy as np

    from tfgan.utils.images import save_grid

    if args.inputs is None:
        raise ValueError("this generator translates images: pass --inputs FOLDER. "
                         "Received: --inputs=None")
    if None in generator.image_shape[:2]:
        raise ValueError("this generator takes images of any size (super-resolution): run "
                         "it on a folder with `tfgan apply --model M --inputs FOLDER --out "
                         f"FOLDER`. Received: image_shape={generator.image_shape}")
    inputs = _read_inputs(args, generator.image_shape)
    outputs = generator(image=inputs)
    images, rows = np.concatenate([inputs, outputs]), 2
    if inputs.shape[-1] != outputs.shape[-1]:
        images, rows = outputs, None
    save_grid(images, args.out, rows=rows)
    print(f"tfgan sample: {len(inputs)} translations ({generator.backend}) -> {args.out}")
    return 0


def _inpaint(args, generator):
    import numpy as np

    from tfgan.datasets.masks import masks_for_images
    from tfgan.utils.images import save_grid

    if args.inputs is None:
        raise ValueError("this generator fills holes in images: pass --inputs FOLDER. "
                         "Received: --inputs=None")
    images = _read_inputs(args, generator.image_shape)
    masks = masks_for_images(len(images), generator.image_shape[:2],
                             args.mask if args.masks is None else args.masks, args.seed)
    outputs = generator(image=images, mask=masks)
    masked = np.where(masks > 0.5, 0.0, images)
    save_grid(np.concatenate([masked, outputs, images]), args.out, rows=3)
    print(f"tfgan sample: {len(images)} completions ({generator.backend}) -> {args.out}")
    return 0
