"""`tfgan train`: train a preset GAN on a dataset and write a run directory.

A run directory holds `config.json`, `samples/` (a PNG grid per epoch and `last.png`),
`history.csv`, `generator.keras` (the sampling generator), `gan.keras` (the whole compiled
GAN) and `backup/` while training runs (used to resume an interrupted run).
"""

import json
import pathlib
import time

from tfgan import presets


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "train", help="train a GAN preset and write samples, history and the generator",
        description=__doc__)
    parser.add_argument("--preset", default="dcgan-mnist", choices=sorted(presets.PRESETS),
                        help="model preset (default: dcgan-mnist)")
    parser.add_argument("--dataset", default=None,
                        help="'embedded-mnist' (offline), a TFDS name or an image folder "
                             "(default: the preset's)")
    parser.add_argument("--data-dir", default=None, help="TFDS data directory")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=None,
                        help="default: the preset's")
    parser.add_argument("--steps-per-epoch", type=int, default=None,
                        help="train steps per epoch (default: one pass over the data)")
    parser.add_argument("--latent-dim", type=int, default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sample-every", type=int, default=1, help="epochs between grids")
    parser.add_argument("--out", default="runs/gan", help="run directory (default: runs/gan)")
    parser.add_argument("--verbose", type=int, default=1, choices=(0, 1, 2),
                        help="Keras progress output (1: progress bar)")
    parser.set_defaults(run=run)
    return parser


def _dataset(args, preset, batch_size):
    from tfgan import datasets

    name = args.dataset or preset.dataset
    repeat = args.steps_per_epoch is not None
    if name == datasets.EMBEDDED_MNIST:
        if preset.image_shape != (28, 28, 1):
            raise SystemExit(f"tfgan train: the embedded MNIST set is 28x28x1 but preset "
                             f"{preset.name!r} makes {preset.image_shape} images.")
        return datasets.embedded_mnist(batch_size=batch_size, seed=args.seed, repeat=repeat)
    size, channels = preset.image_shape[:2], preset.image_shape[2]
    if pathlib.Path(name).is_dir():
        return datasets.from_folder(name, image_size=size, channels=channels,
                                    batch_size=batch_size, seed=args.seed, repeat=repeat)
    return datasets.from_tfds(name, data_dir=args.data_dir, image_size=size,
                              channels=channels, batch_size=batch_size, seed=args.seed,
                              repeat=repeat)


def run(args):
    import keras

    from tfgan.callbacks import SaveSampleGrid

    preset = presets.get(args.preset)
    batch_size = args.batch_size or preset.batch_size
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    config = {**vars(args), "batch_size": batch_size,
              "dataset": args.dataset or preset.dataset}
    config.pop("run")
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n")

    keras.utils.set_random_seed(args.seed)
    dataset = _dataset(args, preset, batch_size)
    gan = preset.build(latent_dim=args.latent_dim, seed=args.seed)
    callbacks = [
        keras.callbacks.BackupAndRestore(str(out / "backup"), save_freq="epoch",
                                         delete_checkpoint=True),
        SaveSampleGrid(out / "samples", every=args.sample_every, seed=args.seed),
        keras.callbacks.CSVLogger(str(out / "history.csv"), append=True),
    ]
    start = time.time()
    gan.fit(dataset, epochs=args.epochs, steps_per_epoch=args.steps_per_epoch,
            callbacks=callbacks, verbose=args.verbose, shuffle=False)
    gan.sampling_generator.save(out / "generator.keras")
    gan.save(out / "gan.keras")
    print(f"tfgan train: {args.epochs} epochs in {time.time() - start:.0f} s; "
          f"samples in {out / 'samples'}, generator in {out / 'generator.keras'}")
    return 0
