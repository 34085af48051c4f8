"""Trains a GAN on 2 localhost workers (MultiWorkerMirroredStrategy) and on 1 process.

`python tests/models/multiworker_check.py OUT_DIR` starts both workers as subprocesses
with TF_CONFIG, trains the same GAN single-process, and prints one JSON line with the
largest weight difference between each worker and the single-process run.
`python tests/models/multiworker_check.py OUT_DIR --worker I --ports P0,P1` is one worker.
"""

import argparse
import json
import os
import pathlib
import socket
import subprocess
import sys


def free_ports(n):
    sockets = [socket.socket() for _ in range(n)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def train(out, strategy=None):
    import keras
    import numpy as np
    import tensorflow as tf

    import tfgan

    keras.utils.set_random_seed(0)
    images = np.random.default_rng(0).uniform(-1, 1, (64, 8, 8, 1)).astype("float32")
    dataset = tf.data.Dataset.from_tensor_slices(images).batch(16)
    options = tf.data.Options()
    options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    dataset = dataset.with_options(options)
    with (strategy or tf.distribute.get_strategy()).scope():
        z = keras.Input((4,), name="z")
        x = keras.layers.Dense(64)(keras.layers.Dense(16, activation="relu")(z))
        generator = keras.Model(z, keras.layers.Activation("tanh")(
            keras.layers.Reshape((8, 8, 1))(x)))
        inp = keras.Input((8, 8, 1))
        h = keras.layers.Dense(8, activation="relu")(keras.layers.Flatten()(inp))
        discriminator = keras.Model(inp, keras.layers.Dense(1)(h))
        gan = tfgan.GAN(generator, discriminator, seed=1)
        gan.compile(g_optimizer=keras.optimizers.SGD(0.1),
                    d_optimizer=keras.optimizers.SGD(0.1), d_steps=2)
    initial = [np.array(v) for v in gan.trainable_weights]
    gan.fit(dataset, epochs=2, verbose=0, shuffle=False)
    final = [np.array(v) for v in gan.trainable_weights]
    if any(np.allclose(a, b) for a, b in zip(initial, final)):
        raise SystemExit("training left a variable unchanged")
    np.savez(out, *[np.array(v) for v in gan.weights])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--worker", type=int, default=None)
    parser.add_argument("--ports", default=None)
    args = parser.parse_args()
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
        train(out / f"worker{args.worker}.npz", strategy)
        return
    out.mkdir(parents=True, exist_ok=True)
    ports = ",".join(map(str, free_ports(2)))
    workers = [subprocess.Popen([sys.executable, __file__, str(out), "--worker", str(i),
                                 "--ports", ports]) for i in range(2)]
    codes = [w.wait(timeout=600) for w in workers]
    if any(codes):
        raise SystemExit(f"worker exit codes {codes}")
    train(out / "single.npz")
    import numpy as np

    single = np.load(out / "single.npz")
    report = {}
    for i in range(2):
        worker = np.load(out / f"worker{i}.npz")
        report[f"worker{i}"] = max(float(np.abs(single[k] - worker[k]).max())
                                   for k in single.files)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
