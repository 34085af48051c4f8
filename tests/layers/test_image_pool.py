import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgan.layers import ImagePool


def _batch(start, n=4):
    # Image k is filled with the value k, so every returned image names its origin.
    return np.stack([np.full((2, 2, 1), k, "float32") for k in range(start, start + n)])


def _ids(images):
    return images.numpy()[:, 0, 0, 0].astype(int).tolist()


def test_returns_new_images_while_filling():
    pool = ImagePool(6, (2, 2, 1), seed=0)
    assert _ids(pool(_batch(0), step=0)) == [0, 1, 2, 3]
    out = _ids(pool(_batch(4), step=1))  # 4, 5 fill the pool; 6, 7 may be swapped
    assert out[:2] == [4, 5]
    assert int(pool.count.numpy()) == 6


def test_returns_stored_images_with_probability_one_half_once_full():
    pool = ImagePool(50, (2, 2, 1), seed=3)
    pool(_batch(0, 50), step=0)
    stored_seen, total = 0, 0
    history = set(range(50))
    for step in range(1, 41):
        batch = _batch(1000 * step, 16)
        out = _ids(pool(batch, step=step))
        new = set(_ids(tf.constant(batch)))
        for value in out:
            if value in new:
                continue
            assert value in history  # a stored image is one that was put in earlier
            stored_seen += 1
        total += len(out)
        history |= new
    assert abs(stored_seen / total - 0.5) < 0.05  # 640 draws: std of the rate is 0.02
    assert int(pool.count.numpy()) == 50


def test_zero_size_passes_through_and_graph_mode_matches_eager():
    assert _ids(ImagePool(0, (2, 2, 1))(_batch(7), step=0)) == [7, 8, 9, 10]
    eager, graph = ImagePool(3, (2, 2, 1), seed=1), ImagePool(3, (2, 2, 1), seed=1)
    call = tf.function(lambda x, s: graph(x, step=s))
    for step in range(4):
        x = _batch(10 * step)
        assert _ids(eager(x, step=step)) == _ids(call(x, tf.constant(step, tf.int64)))


def test_pool_is_saved_in_weights_and_config(tmp_path):
    pool = ImagePool(4, (2, 2, 1), seed=5)
    pool(_batch(0), step=0)
    clone = ImagePool.from_config(pool.get_config())
    clone.set_weights(pool.get_weights())
    np.testing.assert_array_equal(clone.images.numpy(), pool.images.numpy())
    assert (clone.pool_size, clone.seed, clone.image_shape) == (4, 5, (2, 2, 1))
    with pytest.raises(ValueError, match="pool_size"):
        ImagePool(-1)
