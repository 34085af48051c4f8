"""`tfgan train`: train a preset GAN on a dataset and write a run directory.

A run directory holds `config.json`, `samples/` (a PNG grid per epoch and `last.png`),
`history.csv`, `checkpoints/` (the full training state after each epoch), and at the end
`generator.keras` (the sampling generator) and `gan.keras` (the whole compiled GAN).

Running the same command again on an interrupted run directory resumes it from its last
checkpoint, with the same data order and noise as an uninterrupted run.
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
    if name == datasets.EMBEDDED_MNIST:
        if preset.image_shape != (28, 28, 1):
            raise SystemExit(f"tfgan train: the embedded MNIST set is 28x28x1 but preset "
                             f"{preset.name!r} makes {preset.image_shape} images.")
        return datasets.embedded_mnist(batch_size=batch_size, seed=args.seed)
    size, channels = preset.image_shape[:2], preset.image_shape[2]
    if pathlib.Path(name).is_dir():
        return datasets.from_folder(name, image_size=size, channels=channels,
                                    batch_size=batch_size, seed=args.seed)
    return datasets.from_tfds(name, data_dir=args.data_dir, image_size=size,
                              channels=channels, batch_size=batch_size, seed=args.seed)


def _steps_per_epoch(dataset):
    steps = int(dataset.cardinality())
    if steps < 0:  # unknown (e.g. a folder read with on_error="skip"): count once
        steps = sum(1 for _ in dataset)
    if steps == 0:
        raise SystemExit("tfgan train: the dataset has fewer images than one batch.")
    return steps


def _run_config(args, preset, batch_size):
    config = {**vars(args), "batch_size": batch_size, "dataset": args.dataset or preset.dataset}
    config.pop("run")
    return config


def run(args):
    import keras

    from tfgan.callbacks import GANCheckpoint
    from tfgan.callbacks import SaveSampleGrid
    from tfgan.callbacks import StopOnNonFinite
    from tfgan.callbacks import resume

    preset = presets.get(args.preset)
    batch_size = args.batch_size or preset.batch_size
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    config = _run_config(args, preset, batch_size)
    config_file = out / "config.json"
    if config_file.exists() and GANCheckpoint.latest(out / "checkpoints"):
        previous = json.loads(config_file.read_text())
        changed = {k: (previous.get(k), v) for k, v in config.items()
                   if k not in ("epochs", "verbose") and previous.get(k) != v}
        if changed:
            raise SystemExit(f"tfgan train: {out} holds a run with other settings; use "
                             f"another --out or the same settings. Changed: {changed}")
    config_file.write_text(json.dumps(config, indent=2) + "\n")

    keras.utils.set_random_seed(args.seed)
    dataset = _dataset(args, preset, batch_size)
    steps = args.steps_per_epoch or _steps_per_epoch(dataset)
    gan = preset.build(latent_dim=args.latent_dim, seed=args.seed, batch_size=batch_size)
    initial_epoch, keep = resume(gan, out)
    if initial_epoch:
        print(f"tfgan train: resuming {out} after epoch {initial_epoch}")
    # The data order is a function of the epoch: skip the batches of finished epochs.
    dataset = dataset.repeat().skip(initial_epoch * steps)
    callbacks = [StopOnNonFinite(), *keep,
                 SaveSampleGrid(out / "samples", every=args.sample_every, seed=args.seed)]
    start = time.time()
    gan.fit(dataset, epochs=args.epochs, steps_per_epoch=steps, initial_epoch=initial_epoch,
            callbacks=callbacks, verbose=args.verbose, shuffle=False)
    if gan.stop_training and callbacks[0].message:
        print(f"tfgan train: stopped early. {callbacks[0].message}")
        return 1
    from tfgan.utils.io import save_model  # atomic: a killed save keeps the previous file
    save_model(gan.sampling_generator, out / "generator.keras")
    save_model(gan, out / "gan.keras")
    print(f"tfgan train: epochs {initial_epoch + 1}-{args.epochs} in "
          f"{time.time() - start:.0f} s; samples in {out / 'samples'}, generator in "
          f"{out / 'generator.keras'}")
    return 0
