"""Trains the same GAN on 1 and on 2 replicas (two logical CPUs) and prints the differences.

Run as a script (logical devices must be set up before TensorFlow starts):
`python tests/models/distribute_check.py '[{"d_steps": 2}]'` prints one JSON line with a
result per `compile` configuration. SGD, so that a scaling error cannot hide behind Adam's
normalization. On logical CPUs the default collective all-reduce mismatched the two
optimizers' collectives between replicas (TF 2.21), so the check reduces to one device.
"""

import json
import sys

import tensorflow as tf

cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)

import keras  # noqa: E402
import numpy as np  # noqa: E402

import tfgan  # noqa: E402


def networks():
    z = keras.Input((4,), name="z")
    x = keras.layers.Dense(16, activation="relu")(z)
    x = keras.layers.Dense(64)(x)
    images = keras.layers.Activation("tanh")(keras.layers.Reshape((8, 8, 1))(x))
    inp = keras.Input((8, 8, 1), name="images")
    h = keras.layers.Dense(8, activation="relu")(keras.layers.Flatten()(inp))
    return keras.Model(z, images), keras.Model(inp, keras.layers.Dense(1)(h))


def train(strategy, **compile_kwargs):
    keras.utils.set_random_seed(0)
    images = np.random.default_rng(0).uniform(-1, 1, (64, 8, 8, 1)).astype("float32")
    dataset = tf.data.Dataset.from_tensor_slices(images).batch(16)
    with strategy.scope():
        gan = tfgan.GAN(*networks(), seed=1)
        gan.compile(g_optimizer=keras.optimizers.SGD(0.1),
                    d_optimizer=keras.optimizers.SGD(0.1), jit_compile=False, **compile_kwargs)
    initial = [np.array(v) for v in gan.trainable_weights]
    history = gan.fit(dataset, epochs=2, verbose=0, shuffle=False).history
    changed = all(not np.allclose(a, np.array(b)) for a, b in zip(initial, gan.trainable_weights))
    return [np.array(v) for v in gan.weights], history, changed


def main():
    configs = json.loads(sys.argv[1]) if len(sys.argv) > 1 else [{}]
    results = []
    for kwargs in configs:
        w1, h1, changed = train(tf.distribute.get_strategy(), **kwargs)
        w2, h2, _ = train(tf.distribute.MirroredStrategy(
            ["/cpu:0", "/cpu:1"], cross_device_ops=tf.distribute.ReductionToOneDevice()), **kwargs)
        results.append({
            "config": kwargs,
            "max_weight_difference": max(float(np.abs(a - b).max()) for a, b in zip(w1, w2)),
            "max_metric_difference": max(float(np.abs(np.subtract(h1[k], h2[k])).max())
                                         for k in h1),
            "weights_changed": changed,
        })
    print(json.dumps(results))


if __name__ == "__main__":
    main()
