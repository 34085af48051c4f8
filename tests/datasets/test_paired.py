import numpy as np
import pytest
import tensorflow as tf
from PIL import Image

from tfgan import datasets
from tfgan.datasets import paired_dataset
from tfgan.datasets import random_jitter
from tfgan.datasets import split_pair
from tfgan.datasets import unpaired_dataset


def test_split_pair_direction():
    image = tf.concat([tf.zeros((4, 4, 3)), tf.ones((4, 4, 3))], axis=1)  # left 0, right 1
    inputs, targets = split_pair(image, "right")
    assert float(tf.reduce_min(inputs)) == 1.0 and float(tf.reduce_max(targets)) == 0.0
    inputs, targets = split_pair(image, "left")
    assert float(tf.reduce_max(inputs)) == 0.0 and float(tf.reduce_min(targets)) == 1.0
    with pytest.raises(ValueError, match="input_side"):
        split_pair(image, "top")


def test_jitter_crops_and_flips_input_and_target_together():
    ramp = tf.reshape(tf.range(16 * 16, dtype="float32"), (16, 16, 1))
    seen_flip = False
    for i in range(8):
        a, b = random_jitter([ramp, ramp * 2.0], tf.constant([i, 0], tf.int64), image_size=8,
                             load_size=12)
        assert a.shape == (8, 8, 1)
        np.testing.assert_allclose(b.numpy(), 2.0 * a.numpy(), rtol=1e-6)
        seen_flip |= bool(a[0, 0, 0] > a[0, -1, 0])
    assert seen_flip  # some crops are mirrored (left-right order reversed)
    again = random_jitter([ramp], tf.constant([3, 0], tf.int64), image_size=8, load_size=12)
    first = random_jitter([ramp], tf.constant([3, 0], tf.int64), image_size=8, load_size=12)
    np.testing.assert_array_equal(again[0], first[0])  # stateless: same seed, same crop


def test_facades_pairs_from_real_files(shared_data):
    directory = shared_data / "facades" / "test"
    dataset = paired_dataset(directory, batch_size=2, image_size=32, jitter=False,
                             shuffle=False, limit=2)
    inputs, targets = next(iter(dataset))
    assert inputs.shape == targets.shape == (2, 32, 32, 3)
    assert -1.0 <= float(tf.reduce_min(targets)) and float(tf.reduce_max(targets)) <= 1.0
    # Oracle: the right half of the first file (by name) is the input.
    path = sorted(directory.glob("*.jpg"))[0]
    raw = np.asarray(Image.open(path).convert("RGB"), "float32") / 127.5 - 1.0
    right = tf.image.resize(raw[:, 256:], (32, 32), antialias=True).numpy()
    left = tf.image.resize(raw[:, :256], (32, 32), antialias=True).numpy()
    np.testing.assert_allclose(inputs[0].numpy(), right, atol=0.05)  # PIL and TF decode JPEG slightly differently
    np.testing.assert_allclose(targets[0].numpy(), left, atol=0.05)  # PIL and TF decode JPEG slightly differently
    jittered = paired_dataset(directory, batch_size=2, image_size=32, seed=1, limit=2)
    x, y = next(iter(jittered))
    assert x.shape == (2, 32, 32, 3) and float(tf.reduce_mean(tf.abs(x - y))) > 0.05


def test_horse2zebra_unpaired_batches(shared_data):
    root = shared_data / "horse2zebra"
    dataset = unpaired_dataset(root / "testA", root / "testB", batch_size=2, image_size=16,
                               limit=3, seed=0)
    batches = list(dataset)
    assert len(batches) == 2  # 3 images per folder: one full batch and a partial one
    a, b = batches[0]
    assert a.shape == b.shape == (2, 16, 16, 3)
    assert float(tf.reduce_max(tf.abs(a))) <= 1.0
    repeated = unpaired_dataset(root / "testA", root / "testB", batch_size=2, image_size=16,
                                limit=3, repeat=True, jitter=False, shuffle=False)
    assert len(list(repeated.take(5))) == 5


def _damaged_files(shared_data, folder):
    """A folder with a good JPEG, and damaged PNG and JPEG files with valid headers."""
    folder.mkdir()
    good = sorted((shared_data / "facades" / "val").glob("*.jpg"))[0].read_bytes()
    (folder / "a_good.jpg").write_bytes(good)
    rng = np.random.default_rng(0)
    png = tf.io.encode_png(tf.zeros((8, 8, 3), tf.uint8)).numpy()
    # Signature and IHDR intact, then garbage; the JPEG keeps its first half (all headers).
    (folder / "b_bad.png").write_bytes(png[:33] + rng.bytes(200))
    (folder / "c_bad.jpg").write_bytes(good[:len(good) // 2] + rng.bytes(len(good) // 2))
    return folder


@pytest.mark.parametrize("bad", ["b_bad.png", "c_bad.jpg"])
def test_damaged_image_body_is_named_by_every_folder_reader(shared_data, tmp_path, bad):
    folder = _damaged_files(shared_data, tmp_path / "images")
    other = "c_bad.jpg" if bad == "b_bad.png" else "b_bad.png"
    (folder / other).unlink()
    readers = [lambda: datasets.from_folder(folder, 8, batch_size=1),
               lambda: paired_dataset(folder, image_size=8),
               lambda: unpaired_dataset(folder, folder, image_size=8)]
    for reader in readers:
        with pytest.raises(ValueError, match=f"Unreadable image file .*{bad}"):
            reader()
    assert len(list(datasets.from_folder(folder, 8, batch_size=1, on_error="skip"))) == 1
