"""Running a network over an array in batches, for inference."""

import numpy as np
from tfgan.utils.validation import check_positive_int


def predict_in_batches(network, inputs, batch_size=256, training=False):
    """Runs `network` over `inputs` in batches and concatenates the outputs.

    Args:
        network: a callable Keras model.
        inputs: an array `(n, ...)`, or a list of arrays with the same `n` (one per
            network input).
        batch_size: rows per call.
        training: passed to the network (e.g. Pix2Pix's test-time dropout).

    Returns:
        A float32 numpy array `(n, ...)`.
    """
    batch_size = check_positive_int("batch_size", batch_size)
    several = isinstance(inputs, (list, tuple))
    arrays = [np.asarray(a) for a in (inputs if several else [inputs])]
    count = len(arrays[0])
    if count == 0:
        raise ValueError("There is nothing to run the network on. Received: 0 inputs")
    outputs = []
    for i in range(0, count, batch_size):
        batch = [a[i:i + batch_size] for a in arrays]
        outputs.append(np.asarray(network(batch if several else batch[0], training=training),
                                  dtype="float32"))
    return np.concatenate(outputs, axis=0)
