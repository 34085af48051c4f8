"""What every tfgan model needs to know about `tf.distribute`: replicas, workers, XLA."""

import warnings

import tensorflow as tf
from keras import ops


def num_replicas():
    """`num_replicas_in_sync` of the current strategy (1 outside any strategy)."""
    return tf.distribute.get_strategy().num_replicas_in_sync


def replica_id():
    """This replica's index in its sync group (0 outside a replica context)."""
    context = tf.distribute.get_replica_context()
    if context is None:
        return 0
    return context.replica_id_in_sync_group


def replica_rows(draw, local_batch):
    """This replica's rows of noise drawn for the whole global batch.

    Under `tf.distribute` with N replicas, `draw(n)` is called with `n = N · local_batch`
    (the same stateless seed on every replica) and replica `r` keeps rows
    `[r · local_batch, (r + 1) · local_batch)`: the noise of a global batch does not depend
    on the number of replicas, so 1 and N replicas train identically.

    Args:
        draw: a function `n -> tensor` whose first axis has `n` rows.
        local_batch: this replica's batch size (an int or scalar int tensor).

    Returns:
        The `local_batch` rows of this replica.
    """
    replicas = num_replicas()
    if replicas == 1:
        return draw(local_batch)
    values = draw(local_batch * replicas)
    start = tf.cast(replica_id(), tf.int32) * tf.cast(local_batch, tf.int32)
    return values[start:start + tf.cast(local_batch, tf.int32)]


def multi_worker(strategy):
    """True under a MultiWorkerMirroredStrategy spanning more than one worker."""
    if not isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy):
        return False
    cluster = strategy.cluster_resolver.cluster_spec().as_dict()
    return len(cluster.get("worker", [])) + len(cluster.get("chief", [])) > 1


def keras_logs(logs, strategy):
    """Adapts a step's logs to Keras 3.15's multi-worker reduction.

    Keras reduces step outputs across workers with `strategy.reduce("MEAN", v, axis=0)`,
    which fails on the scalar metric results every model returns; under a multi-worker
    strategy the logs are returned with shape (1,) and Keras' reduction gives back the
    scalar. Everywhere else they are returned unchanged.
    """
    if not multi_worker(strategy):
        return logs
    return {name: ops.reshape(value, (1,)) for name, value in logs.items()}


def xla_off_under_a_strategy(compile_kwargs, stacklevel=2):
    """Sets `compile_kwargs["jit_compile"]` to False, with a warning, when it is True
    inside a `tf.distribute` scope: Keras 3 `fit` fails with XLA there (variables on
    another device). `stacklevel` (1 = this function) points the warning at the user's
    `compile` call."""
    if compile_kwargs.get("jit_compile") is True and tf.distribute.has_strategy():
        warnings.warn("XLA (jit_compile=True) fails under a tf.distribute strategy in "
                      "Keras 3 `fit`; compiling with jit_compile=False.",
                      stacklevel=stacklevel)
        compile_kwargs["jit_compile"] = False


def first_replica(structure):
    """Replaces every `tf.distribute.DistributedValues` in `structure` with its first local
    replica's value (a batch whose shapes and dtypes stand for all replicas')."""
    import keras

    return keras.tree.map_structure(
        lambda value: (tf.distribute.get_strategy().experimental_local_results(value)[0]
                       if isinstance(value, tf.distribute.DistributedValues) else value),
        structure)
