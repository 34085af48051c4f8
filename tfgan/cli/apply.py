"""`tfgan apply`: run an exported image generator on every image of a folder.

Writes one PNG per input image into `--out`, under the input's relative path: for a
super-resolution export (which takes images of any height and width) the upscaled image,
each input at its own size; for a fixed-size image-to-image export (Pix2Pix, CycleGAN) the
translation of the input resized to the generator's size; for an inpainting export the
completion of the input (resized to the generator's size) with the holes of `--mask`
(drawn for image `i` with the seed `(--seed, i)`) or of `--masks FOLDER` (the `i`-th mask
image, in name order, for the `i`-th input). The generator gets each image as its `image`
input, scaled to [-1, 1]. Output files that already exist are never replaced: the command
refuses before writing anything.
"""


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "apply", help="run an exported image generator (super-resolution, inpainting, "
                      "image-to-image) on a folder of images", description=__doc__)
    parser.add_argument("--model", required=True,
                        help="an export directory, a SavedModel directory or a .onnx file")
    parser.add_argument("--inputs", required=True, help="folder of input images (any size)")
    parser.add_argument("--out", required=True, help="folder for the output PNGs")
    parser.add_argument("--pair-side", choices=("left", "right"), default=None,
                        help="the inputs are side-by-side pairs: use this half "
                             "(facades photos: left)")
    parser.add_argument("--mask", choices=("center", "rectangles", "free_form"), default=None,
                        help="inpainting exports: the holes to fill (default: center)")
    parser.add_argument("--masks", default=None,
                        help="inpainting exports: folder of mask images (white = hole), the "
                             "i-th for the i-th input in name order")
    parser.add_argument("--seed", type=int, default=0, help="seed of drawn masks")
    parser.add_argument("--backend", choices=("savedmodel", "onnx"), default=None,
                        help="force a runtime (default: from the path)")
    parser.set_defaults(run=run)
    return parser


def output_paths(files, inputs, out):
    """`{input file: output PNG}` under `out`, keeping each file's path relative to
    `inputs`; refuses name clashes (`a.jpg` and `a.png`) and existing outputs."""
    import pathlib

    targets = {}
    for path in files:
        target = pathlib.Path(out) / pathlib.Path(path).relative_to(inputs).with_suffix(".png")
        if target in targets.values():
            raise ValueError(f"Two inputs would write {target}: rename one. Received: {path}")
        targets[path] = target
    existing = [str(t) for t in targets.values() if t.exists()]
    if existing:
        raise FileExistsError(f"tfgan apply never replaces files: {len(existing)} outputs "
                              f"exist in --out, e.g. {existing[0]}. Choose another --out. "
                              f"Received: --out={out}")
    return targets


def run(args):
    import pathlib

    import numpy as np

    from tfgan import datasets
    from tfgan.datasets.masks import masks_for_images
    from tfgan.datasets.paired import read_scaled_image
    from tfgan.export import load_generator
    from tfgan.utils.images import save_image
    from tfgan.utils.images import to_uint8

    generator = load_generator(args.model, backend=args.backend)
    inpaint = generator.kind == "inpaint"
    if set(generator.inputs) != ({"image", "mask"} if inpaint else {"image"}):
        raise ValueError("tfgan apply runs generators that take one `image` (and a `mask` "
                         f"for inpainting). Received: a {generator.kind} generator with "
                         f"inputs {sorted(generator.inputs)}")
    if not inpaint and (args.mask or args.masks):
        raise ValueError("--mask and --masks are for inpainting exports. Received: a "
                         f"{generator.kind} generator")
    shape, _ = generator.inputs["image"]
    channels, size = shape[-1], shape[1:3]
    inputs = pathlib.Path(args.inputs)
    files = datasets.check_image_files(datasets.list_image_files(inputs))
    targets = output_paths(files, inputs, args.out)
    if inpaint:
        masks = masks_for_images(len(targets), size,
                                 args.masks if args.masks else args.mask or "center",
                                 args.seed)
    for i, (path, target) in enumerate(targets.items()):
        image = read_scaled_image(str(path), channels)
        if args.pair_side:
            image = datasets.split_pair(image, args.pair_side)[0]
        if None not in size:
            image = datasets.resize(image, size, crop=True)
        feeds = {"image": np.asarray(image)[None]}
        if inpaint:
            feeds["mask"] = masks[i:i + 1]
        output = generator(**feeds)[0]
        target.parent.mkdir(parents=True, exist_ok=True)
        save_image(to_uint8(output), target)
    print(f"tfgan apply: {len(targets)} images ({generator.backend}) -> {args.out}")
    return 0
