"""`tfgan train`: train a preset GAN on a dataset and write a run directory.

A run directory holds `config.json`, `samples/` (a PNG grid per epoch and `last.png`),
`history.csv`, `checkpoints/` (the full training state after each epoch), and at the end
`generator.keras` (the sampling generator) and `gan.keras` (the whole compiled GAN).

Running the same command again on an interrupted run directory resumes it from its last
checkpoint, with the same data order and noise as an uninterrupted run; `--restart` starts
it afresh instead (dropping its checkpoints and history). Arguments and data are checked
before anything is written: a run that would train nothing is refused.
"""

import json
import os
import pathlib
import time

# The preset names, without importing `tfgan.presets` (and TensorFlow) to build `--help`;
# tests/cli/test_train.py checks them against `tfgan.presets.PRESETS`.
PRESET_NAMES = ("dcgan-64", "dcgan-cifar10", "dcgan-mnist")
POSITIVE_ARGS = ("epochs", "batch_size", "steps_per_epoch", "latent_dim", "sample_every")


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "train", help="train a GAN preset and write samples, history and the generator",
        description=__doc__)
    parser.add_argument("--preset", default="dcgan-mnist", choices=PRESET_NAMES,
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
    parser.add_argument("--restart", action="store_true",
                        help="start the run directory afresh: drop its checkpoints and "
                             "history instead of resuming")
    parser.set_defaults(run=run)
    return parser


def _looks_like_path(name):
    """True for a `--dataset` meant as a folder: a `/`, a leading `.`, or an existing file."""
    return "/" in name or os.sep in name or name.startswith(".") or os.path.exists(name)


def _dataset(args, preset, batch_size):
    from tfgan import datasets

    name = args.dataset or preset.dataset
    if name == datasets.EMBEDDED_MNIST:
        if preset.image_shape != (28, 28, 1):
            raise ValueError(f"the embedded MNIST set is 28x28x1 but preset {preset.name!r} "
                             f"makes {preset.image_shape} images. "
                             f"Received: --preset={preset.name}")
        return datasets.embedded_mnist(batch_size=batch_size, seed=args.seed)
    size, channels = preset.image_shape[:2], preset.image_shape[2]
    if pathlib.Path(name).is_dir():
        return datasets.from_folder(name, image_size=size, channels=channels,
                                    batch_size=batch_size, seed=args.seed)
    if _looks_like_path(name):
        what = "not a folder" if os.path.exists(name) else "no such folder"
        raise FileNotFoundError(f"--dataset must be 'embedded-mnist', a TFDS name or a folder "
                                f"of images; {name!r}: {what}. Received: --dataset={name}")
    return datasets.from_tfds(name, data_dir=args.data_dir, image_size=size,
                              channels=channels, batch_size=batch_size, seed=args.seed)


def _steps_per_epoch(dataset, batch_size):
    steps = int(dataset.cardinality())
    if steps < 0:  # unknown (e.g. a folder read with on_error="skip"): count once
        steps = sum(1 for _ in dataset)
    if steps == 0:
        raise ValueError(f"the dataset has fewer images than one batch; pass a smaller "
                         f"--batch-size. Received: --batch-size={batch_size}")
    return steps


def _run_config(args, preset, batch_size):
    config = {**vars(args), "batch_size": batch_size, "dataset": args.dataset or preset.dataset}
    for key in ("run", "restart", "debug", "tf_logs"):  # how to run, not what to train
        config.pop(key, None)
    return config


def _check_run_directory(out, config, restart):
    """Refuses to resume a run with other settings, or one that is already complete."""
    from tfgan.callbacks import GANCheckpoint

    config_file = out / "config.json"
    latest = GANCheckpoint.latest(out / "checkpoints")
    if restart or not config_file.exists() or not latest:
        return
    previous = json.loads(config_file.read_text())
    changed = {k: (previous.get(k), v) for k, v in config.items()
               if k not in ("epochs", "verbose") and previous.get(k) != v}
    if changed:
        raise ValueError(f"{out} holds a run with other settings; use another --out, the "
                         f"same settings or --restart. Changed: {changed}")
    if latest[0] >= config["epochs"]:
        raise ValueError(f"{out} is already trained to epoch {latest[0]}: pass a larger "
                         f"--epochs to train on, or --restart. "
                         f"Received: --epochs={config['epochs']}")


def run(args):
    import keras

    from tfgan import presets
    from tfgan.callbacks import SaveSampleGrid
    from tfgan.callbacks import StopOnNonFinite
    from tfgan.callbacks import resume
    from tfgan.utils.validation import check_positive_int

    for name in POSITIVE_ARGS:
        if getattr(args, name) is not None:
            check_positive_int(f"--{name.replace('_', '-')}", getattr(args, name))
    preset = presets.get(args.preset)
    batch_size = args.batch_size or preset.batch_size
    out = pathlib.Path(args.out)
    config = _run_config(args, preset, batch_size)
    _check_run_directory(out, config, args.restart)

    keras.utils.set_random_seed(args.seed)
    dataset = _dataset(args, preset, batch_size)
    steps = args.steps_per_epoch or _steps_per_epoch(dataset, batch_size)
    # The data is usable: only now does the run directory get written.
    out.mkdir(parents=True, exist_ok=True)
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    gan = preset.build(latent_dim=args.latent_dim, seed=args.seed, batch_size=batch_size)
    initial_epoch, keep = resume(gan, out, restart=args.restart)
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
