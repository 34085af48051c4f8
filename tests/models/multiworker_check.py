"""Trains tiny models on 2 localhost workers (MultiWorkerMirroredStrategy) and on 1 process.

`python tests/models/multiworker_check.py OUT_DIR` starts both workers as subprocesses
with TF_CONFIG, trains the same models single-process, and prints one JSON line
`{model: {"worker0": diff, "worker1": diff}}` with, per model, the largest weight
difference between each worker and the single-process run. `--models gan,pix2pix`
picks the models (default: all of `MODELS`, trained one after another by the same two
workers, since starting the workers is the expensive part).
`python tests/models/multiworker_check.py OUT_DIR --worker I --ports P0,P1` is one worker.
A model that fails on a worker or single-process is reported as `{model: {"error": ...}}`
and the next model still runs.

Every model's step is replica-independent, so 2 workers must reproduce 1 process: no
batch normalization (its statistics are per replica; instance normalization is per
sample), no dropout (its masks are drawn per replica) and no CycleGAN image pool (each
replica keeps its own).
"""

import argparse
import json
import os
import pathlib
import socket
import subprocess
import sys
import traceback

MODELS = ("gan", "pix2pix", "cyclegan")
GRAY = (8, 8, 1)
COLOUR = (8, 8, 3)


def free_ports(n):
    sockets = [socket.socket() for _ in range(n)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def _images(shape, seed=0):
    import numpy as np

    return np.random.default_rng(seed).uniform(-1, 1, (64,) + shape).astype("float32")


def _gan():
    """Dense networks, as `tiny_models.gan`."""
    import keras

    import tfgan

    z = keras.Input((4,), name="z")
    x = keras.layers.Dense(64)(keras.layers.Dense(16, activation="relu")(z))
    generator = keras.Model(z, keras.layers.Activation("tanh")(
        keras.layers.Reshape(GRAY)(x)))
    inp = keras.Input(GRAY)
    h = keras.layers.Dense(8, activation="relu")(keras.layers.Flatten()(inp))
    discriminator = keras.Model(inp, keras.layers.Dense(1)(h))
    model = tfgan.GAN(generator, discriminator, seed=1)
    model.compile(g_optimizer=keras.optimizers.SGD(0.1),
                  d_optimizer=keras.optimizers.SGD(0.1), d_steps=2)
    return model, _images(GRAY)


def _pix2pix():
    """`tiny_models.pix2pix` without normalization and dropout."""
    import keras

    import tfgan
    from tfgan.architectures import patchgan_discriminator
    from tfgan.architectures import unet_generator

    generator = unet_generator(COLOUR, base_filters=4, dropout=0.0, normalization="none")
    discriminator = patchgan_discriminator(COLOUR, conditional_channels=3, base_filters=4,
                                           num_downsamplings=1, normalization="none")
    model = tfgan.Pix2Pix(generator, discriminator, seed=1)
    model.compile(g_optimizer=keras.optimizers.SGD(0.01),
                  d_optimizer=keras.optimizers.SGD(0.01))
    inputs = _images(COLOUR)
    return model, (inputs, -inputs)


def _cyclegan():
    """`tiny_models.cyclegan` (instance normalization) without the image pools (a pool
    holds each replica's own fakes)."""
    import importlib.util

    import keras

    spec = importlib.util.spec_from_file_location(
        "tiny_models", pathlib.Path(__file__).with_name("tiny_models.py"))
    tiny_models = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tiny_models)
    model = tiny_models.cyclegan(pool_size=0)[0]
    # At SGD(0.01) this CycleGAN's 8 steps are chaotic: a 1e-7 change of the inputs
    # moves the weights by ~6e-3 single-process, so rounding alone would fail the check.
    # At 1e-3 it was calm on one machine (~2e-8) but not on the next (2-worker vs single
    # process 1.9e-3, the same at the older commit: rounding amplified); at 2e-4 both
    # workers match to ~1e-8 there, and training still changes every weight.
    model.compile(g_optimizer=keras.optimizers.SGD(0.0002),
                  d_optimizer=keras.optimizers.SGD(0.0002))
    a = _images(COLOUR)
    return model, (a, a[..., ::-1].copy())


BUILDERS = {"gan": _gan, "pix2pix": _pix2pix, "cyclegan": _cyclegan}


def train(name, out, strategy=None):
    import keras
    import numpy as np
    import tensorflow as tf

    keras.utils.set_random_seed(0)
    with (strategy or tf.distribute.get_strategy()).scope():
        model, data = BUILDERS[name]()
    dataset = tf.data.Dataset.from_tensor_slices(data).batch(16)
    options = tf.data.Options()
    options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    dataset = dataset.with_options(options)
    initial = [np.array(v) for v in model.trainable_weights]
    model.fit(dataset, epochs=2, verbose=0, shuffle=False)
    final = [np.array(v) for v in model.trainable_weights]
    unchanged = [v.path for v, a, b in zip(model.trainable_weights, initial, final)
                 if np.allclose(a, b)]
    if unchanged:
        raise RuntimeError(f"{name}: training left {unchanged} unchanged")
    if not all(np.isfinite(w).all() for w in final):
        raise RuntimeError(f"{name}: training gave non-finite weights")
    np.savez(out, *[np.array(v) for v in model.weights])


def _describe(error):
    """`Type: message`, its middle cut out (messages quoting tensors run to pages)."""
    text = " ".join(f"{type(error).__name__}: {error}".split())
    return text if len(text) <= 400 else text[:150] + " ... " + text[-250:]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--worker", type=int, default=None)
    parser.add_argument("--ports", default=None)
    args = parser.parse_args()
    models = args.models.split(",")
    if not models or set(models) - set(MODELS):
        parser.error(f"--models takes a comma-separated subset of {','.join(MODELS)}")
    out = pathlib.Path(args.out)
    if args.worker is not None:
        ports = args.ports.split(",")
        os.environ["TF_CONFIG"] = json.dumps({
            "cluster": {"worker": [f"127.0.0.1:{p}" for p in ports]},
            "task": {"type": "worker", "index": args.worker},
        })
        import tensorflow as tf

        # Must exist before any other TensorFlow op runs.
        strategy = tf.distribute.MultiWorkerMirroredStrategy()
        for name in models:
            try:
                train(name, out / f"{name}_worker{args.worker}.npz", strategy)
            except Exception as error:  # noqa: BLE001 - reported per model
                traceback.print_exc()
                (out / f"{name}_worker{args.worker}.error").write_text(_describe(error))
        return
    out.mkdir(parents=True, exist_ok=True)
    ports = ",".join(map(str, free_ports(2)))
    workers = [subprocess.Popen([sys.executable, __file__, str(out), "--models", args.models,
                                 "--worker", str(i), "--ports", ports]) for i in range(2)]
    codes = [w.wait(timeout=600) for w in workers]
    if any(codes):
        raise SystemExit(f"worker exit codes {codes}")
    import numpy as np

    report = {}
    for name in models:
        errors = [f"worker{i}: " + (out / f"{name}_worker{i}.error").read_text()
                  for i in range(2) if (out / f"{name}_worker{i}.error").exists()]
        if not errors:
            try:
                train(name, out / f"{name}_single.npz")
            except Exception as error:  # noqa: BLE001 - reported per model
                traceback.print_exc()
                errors.append("single: " + _describe(error))
        if errors:
            report[name] = {"error": "; ".join(errors)}
            continue
        single = np.load(out / f"{name}_single.npz")
        report[name] = {}
        for i in range(2):
            worker = np.load(out / f"{name}_worker{i}.npz")
            if sorted(worker.files) != sorted(single.files):
                report[name] = {"error": f"worker{i} saved other weights than single"}
                break
            report[name][f"worker{i}"] = max(float(np.abs(single[k] - worker[k]).max())
                                             for k in single.files)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
