import numpy as np
import pytest

from tfgan.architectures import conditional_dcgan_discriminator
from tfgan.architectures import conditional_dcgan_generator


@pytest.mark.parametrize("conditioning", ["embedding", "one_hot", "batchnorm"])
def test_generator_shapes_names_and_range(conditioning):
    model = conditional_dcgan_generator(10, (28, 28, 1), latent_dim=8, base_filters=4,
                                        conditioning=conditioning)
    assert [t.name for t in model.inputs] == ["z", "labels"]
    assert model.inputs[1].dtype == "int32"
    z = np.random.RandomState(0).normal(size=(3, 8)).astype("float32") * 10
    images = model([z, np.array([0, 5, 9])], training=False).numpy()
    assert images.shape == (3, 28, 28, 1) and np.abs(images).max() <= 1.0


@pytest.mark.parametrize("conditioning", ["concat", "projection", "none"])
@pytest.mark.parametrize("auxiliary", [False, True])
def test_discriminator_output_layout(conditioning, auxiliary):
    model = conditional_dcgan_discriminator(4, (16, 16, 3), base_filters=4,
                                            conditioning=conditioning,
                                            auxiliary_classifier=auxiliary)
    images = np.random.RandomState(1).uniform(-1, 1, (2, 16, 16, 3)).astype("float32")
    a = model([images, np.array([0, 0])]).numpy()
    b = model([images, np.array([3, 3])]).numpy()
    assert a.shape == (2, 5 if auxiliary else 1) and a.dtype == np.float32
    # The adversarial logit depends on the label exactly when D is conditional.
    assert (np.abs(a[:, 0] - b[:, 0]).max() > 0) == (conditioning != "none")
    if auxiliary and conditioning != "concat":  # the class head sees only the image
        np.testing.assert_array_equal(a[:, 1:], b[:, 1:])


@pytest.mark.parametrize("normalization", ["batch", "layer", "none"])
def test_discriminator_normalization(normalization):
    model = conditional_dcgan_discriminator(4, (16, 16, 1), base_filters=4,
                                            normalization=normalization)
    kinds = {layer.__class__.__name__ for layer in model.layers}
    assert ("BatchNormalization" in kinds) == (normalization == "batch")
    assert ("LayerNormalization" in kinds) == (normalization == "layer")


def test_invalid_arguments():
    with pytest.raises(ValueError, match="conditioning"):
        conditional_dcgan_generator(10, conditioning="film")
    with pytest.raises(ValueError, match="num_classes"):
        conditional_dcgan_discriminator(1)
    with pytest.raises(ValueError, match="normalization.*'group'"):
        conditional_dcgan_discriminator(10, normalization="group")
