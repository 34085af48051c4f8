import numpy as np
import pytest

from tfgan import latent


def test_vector_is_the_difference_of_the_set_means():
    latents = np.array([[1.0, 0.0], [3.0, 2.0], [0.0, 1.0], [-2.0, 1.0]])
    labels = [True, True, False, False]
    np.testing.assert_allclose(latent.attribute_vector(latents, labels), [3.0, 0.0])


def test_vector_recovers_a_planted_direction():
    # Label = sign of z·u: the vector points along u with length 2·E|N(0,1)| = 2√(2/π).
    rng = np.random.default_rng(0)
    u = np.array([0.6, 0.8, 0, 0])
    z = rng.normal(size=(20000, 4))
    v = latent.attribute_vector(z, z @ u > 0)
    np.testing.assert_allclose(v, 2 * np.sqrt(2 / np.pi) * u, atol=0.03)


def test_apply_attribute_order_and_values():
    out = latent.apply_attribute([[0.0, 0.0], [1.0, 1.0]], [1.0, -1.0], alphas=[-1, 0, 2])
    np.testing.assert_allclose(out, [[-1, 1], [0, 0], [2, -2], [0, 2], [1, 1], [3, -1]])


def test_vector_from_samples_and_grid(tiny_gan, tmp_path):
    gan = tiny_gan()

    def label_fn(images):
        return images.mean(axis=(1, 2, 3)) > 0

    vector, latents, labels = latent.attribute_vector_from_samples(gan, label_fn,
                                                                   num_samples=40, seed=1,
                                                                   batch_size=16)
    np.testing.assert_array_equal(labels, label_fn(gan.generate(latents=latents)))
    np.testing.assert_allclose(vector, latents[labels].mean(0) - latents[~labels].mean(0),
                               rtol=1e-5, atol=1e-6)
    images = latent.attribute_grid(gan, vector, alphas=(-1, 0, 1), num_rows=2, seed=3,
                                   path=tmp_path / "attr.png")
    z = gan.sample_latents(2, 3)
    np.testing.assert_allclose(images[4], gan.generate(latents=z[1:2])[0], rtol=1e-5,
                               atol=1e-6)
    np.testing.assert_allclose(images[5], gan.generate(latents=z[1:2] + vector)[0],
                               rtol=1e-5, atol=1e-6)
    assert (tmp_path / "attr.png").exists()


def test_errors():
    with pytest.raises(ValueError, match="non-empty"):
        latent.attribute_vector(np.zeros((3, 2)), [True, True, True])
    with pytest.raises(ValueError, match="vector.shape"):
        latent.apply_attribute(np.zeros((1, 2)), np.zeros(3), [1])
