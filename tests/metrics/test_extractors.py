import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgan import metrics


def _images(n=6, size=8, channels=1, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, (n, size, size, channels)).astype(
        "float32")


def test_wraps_a_keras_layer_with_resize_channels_and_range():
    extractor = metrics.FeatureExtractor(keras.layers.Flatten(), name="flat", image_size=4,
                                         channels=3, input_range=(0, 255), batch_size=4)
    images = _images()
    features = extractor(images)
    expected = tf.image.resize(np.repeat(images, 3, axis=-1), (4, 4)).numpy()
    expected = ((expected + 1) * 127.5).reshape(6, -1)
    np.testing.assert_allclose(features, expected, rtol=1e-5, atol=1e-4)
    assert features.shape == (6, 48) and extractor.name == "flat"


def test_uint8_images_are_rescaled_and_softmax_applies():
    extractor = metrics.FeatureExtractor(lambda x: tf.reshape(x, (-1, 4)), softmax=True)
    images = np.array([[[[0], [255]], [[255], [0]]]], dtype="uint8")
    expected = np.exp([-1, 1, 1, -1]) / np.exp([-1, 1, 1, -1]).sum()
    np.testing.assert_allclose(extractor(images)[0], expected, rtol=1e-6)


def test_serialization_round_trip():
    model = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Flatten(),
                              keras.layers.Dense(3)])
    extractor = metrics.FeatureExtractor(model, name="tiny", batch_size=2)
    restored = keras.saving.deserialize_keras_object(
        keras.saving.serialize_keras_object(extractor))
    assert isinstance(restored, metrics.FeatureExtractor) and restored.name == "tiny"
    restored.model.set_weights(model.get_weights())
    np.testing.assert_allclose(restored(_images()), extractor(_images()), rtol=1e-6)


def test_get_resolves_names_and_callables():
    assert metrics.get_extractor("mnist").name == "mnist_classifier-features"
    assert isinstance(metrics.get_extractor("inception"), metrics.InceptionV3Extractor)
    assert metrics.get_extractor(keras.layers.Flatten(name="f")).name == "f"
    with pytest.raises(ValueError, match="identifier='nope'"):
        metrics.get_extractor("nope")


def test_shipped_mnist_classifier_is_accurate(shared_data):
    with np.load(shared_data / "mnist_subset.npz") as data:
        x, y = data["x_test"][:500, ..., None], data["y_test"][:500]
    probabilities = metrics.mnist_probabilities()(x)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-6)
    assert (probabilities.argmax(axis=1) == y).mean() >= 0.97
    features = metrics.mnist_features()(x)
    assert features.shape == (500, 128)


def test_inception_reports_how_to_use_local_weights(tmp_path):
    extractor = metrics.InceptionV3Extractor(weights_path=tmp_path / "missing.h5")
    with pytest.raises(RuntimeError, match="weights_path"):
        extractor(np.zeros((1, 8, 8, 3), "float32"))


def test_inception_loads_a_local_weights_file(tmp_path, monkeypatch):
    # The real network costs ~18 s on this CPU and its ImageNet weights cannot be
    # downloaded here: a small stand-in receives the arguments Keras' InceptionV3 would.
    calls = []

    def fake_inception(**kwargs):
        calls.append(kwargs)
        return keras.Sequential([keras.Input(kwargs["input_shape"]),
                                 keras.layers.AveragePooling2D(299)])

    monkeypatch.setattr(keras.applications, "InceptionV3", fake_inception)
    path = tmp_path / "inception.weights.h5"
    extractor = metrics.InceptionV3Extractor(weights_path=path, batch_size=2)
    images = _images(n=3, size=16, channels=1)
    features = extractor(images)
    assert calls == [{"weights": str(path), "include_top": False, "pooling": "avg",
                      "input_shape": (299, 299, 3)}]
    expected = tf.reduce_mean(tf.image.resize(images, (299, 299)), axis=(1, 2)).numpy()
    np.testing.assert_allclose(features, np.repeat(expected, 3, axis=-1), rtol=1e-5,
                               atol=1e-6)
    assert extractor.name == "keras_inception_v3-local-features"
    probabilities = metrics.InceptionV3Extractor("probabilities")
    probabilities(images[:1])
    assert calls[-1]["weights"] == "imagenet" and calls[-1]["include_top"] is True


def test_shipped_cifar10_classifier_is_a_working_judge(shared_data):
    import tensorflow_datasets as tfds

    x, y = tfds.as_numpy(tfds.load("cifar10", split="test[:500]", batch_size=-1,
                                   data_dir=str(shared_data / "tensorflow_datasets"),
                                   download=False, as_supervised=True))
    probabilities = metrics.get_extractor("cifar10_probabilities")(x)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)
    # Recorded test accuracy 0.7335 on the 10,000 test images (benchmarks/RESULTS.md);
    # 500 images leave a margin of a few points.
    assert (probabilities.argmax(axis=1) == y).mean() >= 0.66
    features = metrics.get_extractor("cifar10")(x[:8])
    assert features.shape == (8, 128)
    assert metrics.get_extractor("cifar10").name == "cifar10_classifier-features"
    with pytest.raises(ValueError, match="Expected one of \\['cifar10', 'mnist'\\]"):
        metrics.load_classifier("svhn")
