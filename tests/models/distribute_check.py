"""Trains the same model on 1 and on 2 replicas (two logical CPUs) and prints the differences.

Run as a script (logical devices must be set up before TensorFlow starts):
`python tests/models/distribute_check.py '[{"d_steps": 2}, {"model": "pix2pix", "compare": false}]'`
prints one JSON line with a result per configuration: `model` names a builder of
`tiny_models.py` (default `"gan"`), `"compare": false` trains on 2 replicas only (no
1-replica run, no differences), every other key goes to `compile`. SGD, so that a scaling
error cannot hide behind Adam's normalization.
"""

import json
import sys

import tensorflow as tf

cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)

import keras  # noqa: E402
import numpy as np  # noqa: E402

import tiny_models  # noqa: E402  (this script's folder is on sys.path)


def train(strategy, model="gan", **compile_kwargs):
    keras.utils.set_random_seed(0)
    with strategy.scope():
        gan, data = tiny_models.build(model)
        gan.compile(g_optimizer=keras.optimizers.SGD(0.1),
                    d_optimizer=keras.optimizers.SGD(0.1), jit_compile=False, **compile_kwargs)
    dataset = tf.data.Dataset.from_tensor_slices(data).batch(16)
    initial = [np.array(v) for v in gan.trainable_weights]
    history = gan.fit(dataset, epochs=2, verbose=0, shuffle=False).history
    unchanged = [v.path for a, v in zip(initial, gan.trainable_weights)
                 if np.allclose(a, np.array(v))]
    return [(v.path, np.array(v)) for v in gan.weights], history, unchanged


def main():
    configs = json.loads(sys.argv[1]) if len(sys.argv) > 1 else [{}]
    results = []
    for config in configs:
        kwargs = dict(config)
        compare = kwargs.pop("compare", True)
        # On logical CPUs the default collective all-reduce mismatched the two optimizers'
        # collectives between replicas (TF 2.21), so gradients are reduced on one device.
        mirrored = tf.distribute.MirroredStrategy(
            ["/cpu:0", "/cpu:1"], cross_device_ops=tf.distribute.ReductionToOneDevice())
        w2, h2, unchanged = train(mirrored, **kwargs)
        result = {
            "config": config,
            # Trainable weights that training left unchanged, on 1 or on 2 replicas.
            "unchanged_weights": sorted(unchanged),
            "metrics_finite": bool(all(np.isfinite(v).all() for v in h2.values())),
        }
        if compare:
            w1, h1, unchanged1 = train(tf.distribute.get_strategy(), **kwargs)
            # Paths of the 2-replica run (a second build's layer names get new suffixes).
            differences = {path: float(np.abs(a - b).max())
                           for (path, a), (_, b) in zip(w2, w1)}
            result.update({
                "unchanged_weights": sorted(set(unchanged) | set(unchanged1)),
                "max_weight_difference": max(differences.values()),
                "most_different_weight": max(differences, key=differences.get),
                "max_metric_difference": max(float(np.abs(np.subtract(h1[k], h2[k])).max())
                                             for k in h1),
            })
        results.append(result)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
