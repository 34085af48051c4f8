"""`tfgan train`: train any preset and write a run directory.

A run directory holds `config.json` (the resolved configuration), `samples/` (a PNG grid
per epoch and `last.png`), `history.csv`, `checkpoints/` (the full training state after
each epoch), and at the end `generator.keras` (the sampling generator) and `gan.keras`
(the whole compiled model).

A preset's configuration can be overridden by `--config FILE.json|yaml` and then by
`--set key=value` (values are JSON, else strings); only the preset's own keys are
accepted (`tfgan presets` lists them). Running the same command again on an interrupted
run directory resumes it from its last checkpoint, with the same data order and noise as
an uninterrupted run; `--restart` starts it afresh instead (dropping its checkpoints and
history). `--time-budget SECONDS` ends training on the last whole epoch that fits in
SECONDS of training, counted across resumptions (`history.csv` logs `train_seconds`);
`--epochs` stays the upper bound. An epoch is one pass over the data, repeated within the
epoch up to 100 steps (`MIN_STEPS_PER_EPOCH`) for a small folder. Arguments and data are
checked before anything is written: a run that would train nothing is refused.
"""

import json
import os
import pathlib
import time

# The preset names, without importing `tfgan.presets` (and TensorFlow) to build `--help`;
# tests/cli/test_train.py checks them against `tfgan.presets.PRESETS`.
PRESET_NAMES = ("cgan-mnist", "cyclegan-horse2zebra", "dcgan-64", "dcgan-cifar10",
                "dcgan-mnist", "inpainting-center", "mixture-2d", "pix2pix-facades",
                "sngan-cifar10", "srgan-x4", "stylegan-cifar10", "stylegan-mnist",
                "text2image-mnist", "wgan-gp-mnist")
POSITIVE_ARGS = ("epochs", "batch_size", "steps_per_epoch", "latent_dim", "sample_every")
# The shortest default epoch: a dataset of fewer batches is repeated within an epoch, so
# that `--epochs` trains a small folder as long as a large one (600 photos make 9 batches
# of 64: 20 epochs would otherwise be 180 steps), with a checkpoint and grid per 100 steps.
MIN_STEPS_PER_EPOCH = 100
# Flags that are shorthands for config keys.
CONFIG_FLAGS = ("dataset", "batch_size", "latent_dim")


def add_parser(subparsers):
    parser = subparsers.add_parser(
        "train", help="train a preset and write samples, history and the generator",
        description=__doc__)
    parser.add_argument("--preset", default="dcgan-mnist", choices=PRESET_NAMES,
                        help="model preset (default: dcgan-mnist; `tfgan presets` lists them)")
    parser.add_argument("--dataset", default=None,
                        help="'embedded-mnist' (offline), a TFDS name or a folder "
                             "(default: the preset's)")
    parser.add_argument("--data-dir", default=None, help="TFDS data directory")
    parser.add_argument("--config", default=None,
                        help="a JSON or YAML file of config overrides")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override one config key (repeatable; the value is JSON or a "
                             "string)")
    parser.add_argument("--epochs", type=int, default=20,
                        help="epochs to train (with --time-budget, the most)")
    parser.add_argument("--time-budget", type=float, default=None, metavar="SECONDS",
                        help="stop on the last whole epoch that fits in SECONDS of "
                             "training, resumptions included (default: no budget)")
    parser.add_argument("--batch-size", type=int, default=None,
                        help="default: the preset's")
    parser.add_argument("--steps-per-epoch", type=int, default=None,
                        help=f"train steps per epoch (default: one pass over the data, "
                             f"repeated up to {MIN_STEPS_PER_EPOCH} steps)")
    parser.add_argument("--latent-dim", type=int, default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sample-every", type=int, default=1, help="epochs between grids")
    parser.add_argument("--out", default="runs/gan", help="run directory (default: runs/gan)")
    parser.add_argument("--verbose", type=int, default=1, choices=(0, 1, 2),
                        help="Keras progress output (1: progress bar)")
    parser.add_argument("--health", action="store_true",
                        help="log training health every epoch (tfgan.callbacks.GANHealth on "
                             "a fixed batch of real images; `tfgan report` reads it)")
    parser.add_argument("--restart", action="store_true",
                        help="start the run directory afresh: drop its checkpoints and "
                             "history instead of resuming")
    parser.set_defaults(run=run)
    return parser


def _looks_like_path(name):
    """True for a `--dataset` meant as a folder: a `/`, a leading `.`, or an existing file."""
    return "/" in name or os.sep in name or name.startswith(".") or os.path.exists(name)


def _read_config_file(path):
    path = pathlib.Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"--config: no such file. Received: --config={path}")
    text = path.read_text()
    if path.suffix in (".yaml", ".yml"):
        try:
            import yaml
        except ImportError:
            raise ImportError("--config FILE.yaml needs PyYAML: `pip install pyyaml` (or "
                              f"use JSON). Received: --config={path}") from None
        config = yaml.safe_load(text)
    else:
        config = json.loads(text)
    if not isinstance(config, dict):
        raise ValueError(f"--config must hold a mapping of config keys. Received: {path}")
    return config


def overrides(args):
    """Config overrides from `--config`, then `--set`, then the shorthand flags."""
    config = _read_config_file(args.config) if args.config else {}
    for item in args.set:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ValueError(f"--set takes KEY=VALUE. Received: --set {item}")
        try:
            config[key] = json.loads(value)
        except json.JSONDecodeError:
            config[key] = value
    for key in CONFIG_FLAGS:
        if getattr(args, key) is not None:
            config[key] = getattr(args, key)
    return config


def _check_dataset(name):
    if isinstance(name, str) and _looks_like_path(name) and not os.path.isdir(name):
        what = "not a folder" if os.path.exists(name) else "no such folder"
        raise FileNotFoundError(f"--dataset must be 'embedded-mnist', a TFDS name or a folder "
                                f"of images; {name!r}: {what}. Received: --dataset={name}")


def _steps_per_epoch(dataset, batch_size):
    """The default epoch: one pass over `dataset`, or `MIN_STEPS_PER_EPOCH` steps of
    passes repeated when one pass is shorter (said on stdout)."""
    import tensorflow as tf

    steps = int(dataset.cardinality())
    if steps == tf.data.INFINITE_CARDINALITY:
        raise ValueError("the preset's dataset is endless: pass --steps-per-epoch. "
                         "Received: --steps-per-epoch=None")
    if steps < 0:  # unknown (e.g. a folder read with on_error="skip"): count once
        steps = sum(1 for _ in dataset)
    if steps == 0:
        raise ValueError(f"the dataset has fewer images than one batch; pass a smaller "
                         f"--batch-size. Received: --batch-size={batch_size}")
    if steps < MIN_STEPS_PER_EPOCH:
        print(f"tfgan train: one pass over the data is {steps} batches of {batch_size}; an "
              f"epoch repeats it to {MIN_STEPS_PER_EPOCH} steps (--steps-per-epoch to change)")
        return MIN_STEPS_PER_EPOCH
    return steps


def _time_spent(out, epoch):
    """`(train_seconds, epoch_seconds)` that `history.csv` in `out` logs for `epoch`
    (`(0, 0)` before the first)."""
    from tfgan.callbacks.checkpoint import history_row
    from tfgan.callbacks.time_budget import EPOCH_SECONDS
    from tfgan.callbacks.time_budget import TRAIN_SECONDS

    if not epoch:
        return 0.0, 0.0
    row = history_row(out, epoch) or {}
    try:
        return float(row[TRAIN_SECONDS]), float(row[EPOCH_SECONDS])
    except (KeyError, ValueError):
        raise ValueError(f"{out / 'history.csv'} does not log the training time of epoch "
                         f"{epoch} (`{TRAIN_SECONDS}`, `{EPOCH_SECONDS}`), which resuming "
                         f"needs; start afresh with --restart. Received: row={row}") from None


def _check_run_directory(out, config, restart):
    """Refuses to resume a run with other settings, or one that is already complete."""
    from tfgan.callbacks import GANCheckpoint

    config_file = out / "config.json"
    latest = GANCheckpoint.latest(out / "checkpoints")
    if restart or not config_file.exists() or not latest:
        return
    previous = json.loads(config_file.read_text())
    changed = {k: (previous.get(k), v) for k, v in config.items()
               if k not in ("epochs", "time_budget") and previous.get(k) != v}
    if changed:
        raise ValueError(f"{out} holds a run with other settings; use another --out, the "
                         f"same settings or --restart. Changed: {changed}")
    if latest[0] >= config["epochs"]:
        raise ValueError(f"{out} is already trained to epoch {latest[0]}: pass a larger "
                         f"--epochs to train on, or --restart. "
                         f"Received: --epochs={config['epochs']}")
    budget = config["time_budget"]
    spent, last = _time_spent(out, latest[0])
    if budget is not None and spent + last > budget:
        raise ValueError(f"{out} has spent its time budget: epoch {latest[0]} ended after "
                         f"{spent:.0f} s of training and another takes about {last:.0f} s. "
                         f"Pass a larger --time-budget to train on, or --restart. "
                         f"Received: --time-budget={budget:g}")


def _health(model, dataset):
    """A `GANHealth` on the first batch of real images (and labels) as its probe."""
    from tfgan.callbacks import GANHealth

    batch = next(iter(dataset.take(1)))
    images, labels = batch if isinstance(batch, tuple) else (batch, None)
    return GANHealth(images.numpy(), None if labels is None else labels.numpy())


def run(args):
    import keras

    from tfgan import presets
    from tfgan.callbacks import SaveSampleGrid
    from tfgan.callbacks import StopOnNonFinite
    from tfgan.callbacks import TimeBudget
    from tfgan.callbacks import resume
    from tfgan.utils.io import atomic_write_bytes
    from tfgan.utils.io import save_model
    from tfgan.utils.validation import check_positive_int

    for name in POSITIVE_ARGS:
        if getattr(args, name) is not None:
            check_positive_int(f"--{name.replace('_', '-')}", getattr(args, name))
    if args.time_budget is not None and not args.time_budget > 0:
        raise ValueError(f"--time-budget must be a positive number of seconds. "
                         f"Received: --time-budget={args.time_budget:g}")
    preset = presets.get(args.preset)
    config = preset.resolve(overrides(args))
    _check_dataset(config.get("dataset"))
    out = pathlib.Path(args.out)
    run_config = {"preset": preset.name, "config": config, "seed": args.seed,
                  "epochs": args.epochs, "time_budget": args.time_budget,
                  "steps_per_epoch": args.steps_per_epoch,
                  "data_dir": args.data_dir, "sample_every": args.sample_every}
    _check_run_directory(out, run_config, args.restart)

    keras.utils.set_random_seed(args.seed)
    dataset = preset.dataset(config, seed=args.seed, data_dir=args.data_dir)
    steps = args.steps_per_epoch or _steps_per_epoch(dataset, config["batch_size"])
    sample_inputs = preset.sample_inputs(config, data_dir=args.data_dir)
    # The data is usable: only now does the run directory get written.
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(out / "config.json", (json.dumps(run_config, indent=2) + "\n").encode())
    model = preset.build(config, seed=args.seed, steps=args.epochs * steps)
    initial_epoch, keep = resume(model, out, restart=args.restart)
    if initial_epoch:
        print(f"tfgan train: resuming {out} after epoch {initial_epoch}")
    # The data order is a function of the epoch: skip the batches of finished epochs.
    dataset = dataset.repeat().skip(initial_epoch * steps)
    budget = TimeBudget(args.time_budget, whole_epochs=True,
                        elapsed=_time_spent(out, initial_epoch)[0])
    # Before the CSVLogger in `keep`, which writes the times the budget logs.
    callbacks = [StopOnNonFinite(), budget]
    if args.health:
        callbacks.append(_health(model, dataset))
    callbacks += keep  # after GANHealth: CSVLogger writes what it logged
    if preset.images:
        callbacks.append(SaveSampleGrid(out / "samples", every=args.sample_every,
                                        seed=args.seed, inputs=sample_inputs))
    start = time.time()
    model.fit(dataset, epochs=args.epochs, steps_per_epoch=steps, initial_epoch=initial_epoch,
              callbacks=callbacks, verbose=args.verbose, shuffle=False)
    if model.stop_training and callbacks[0].message:
        print(f"tfgan train: stopped early. {callbacks[0].message}")
        return 1
    # Atomic: a killed save keeps the previous file.
    save_model(model.sampling_generator, out / "generator.keras")
    save_model(model, out / "gan.keras")
    samples = f"samples in {out / 'samples'}, " if preset.images else ""
    last_epoch = initial_epoch + budget.epochs
    print(f"tfgan train: epochs {initial_epoch + 1}-{last_epoch} in "
          f"{time.time() - start:.0f} s ({budget.spent():.0f} s of training in all); "
          f"{samples}generator in {out / 'generator.keras'}")
    return 0
