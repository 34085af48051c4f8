import numpy as np
import pytest
from PIL import Image

from tfgan import latent


def test_lerp_and_slerp_end_points():
    rng = np.random.default_rng(0)
    z0, z1 = rng.normal(size=5), rng.normal(size=5)
    for fn in (latent.lerp, latent.slerp):
        path = fn(z0, z1, [0.0, 1.0])
        np.testing.assert_allclose(path, [z0, z1], rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(latent.lerp(z0, z1, 0.25)[0], 0.75 * z0 + 0.25 * z1, rtol=1e-6)


def test_slerp_keeps_the_norm_and_moves_at_constant_angle():
    # Orthogonal unit-norm-3 vectors: slerp stays on the circle of radius 3 and the angle
    # to z0 grows linearly, t·π/2; the linear midpoint has norm 3/√2.
    z0, z1 = np.array([3.0, 0, 0]), np.array([0, 3.0, 0])
    t = np.linspace(0, 1, 5)
    path = latent.slerp(z0, z1, t)
    np.testing.assert_allclose(np.linalg.norm(path, axis=1), 3.0, rtol=1e-6)
    np.testing.assert_allclose(np.arctan2(path[:, 1], path[:, 0]), t * np.pi / 2, atol=1e-6)
    assert np.linalg.norm(latent.lerp(z0, z1, 0.5)) == pytest.approx(3 / np.sqrt(2))


def test_slerp_of_parallel_vectors_falls_back_to_linear():
    z0 = np.array([1.0, 2.0])
    np.testing.assert_allclose(latent.slerp(z0, 2 * z0, [0.5]), latent.lerp(z0, 2 * z0, 0.5))


def test_path_through_keyframes_is_closed():
    keys = np.eye(3, dtype="float32")
    path = latent.interpolation_path(keys, steps_per_segment=4, method="linear")
    assert path.shape == (12, 3)
    np.testing.assert_allclose(path[[0, 4, 8]], keys)
    np.testing.assert_allclose(path[2], [0.5, 0.5, 0])
    np.testing.assert_allclose(path[10], [0.5, 0, 0.5])
    open_path = latent.interpolation_path(keys, steps_per_segment=4, closed=False)
    assert open_path.shape == (9, 3)
    np.testing.assert_allclose(open_path[-1], keys[-1])


def test_interpolation_grid_shows_the_interpolated_latents(tiny_gan, tmp_path):
    gan = tiny_gan()
    images = latent.interpolation_grid(gan, num_rows=2, steps=5, seed=4,
                                       path=tmp_path / "grid.png")
    ends = gan.sample_latents(4, 4)
    expected = gan.generate(latents=np.concatenate(
        [latent.slerp(ends[0], ends[1], np.linspace(0, 1, 5)),
         latent.slerp(ends[2], ends[3], np.linspace(0, 1, 5))]))
    np.testing.assert_allclose(images, expected, rtol=1e-5, atol=1e-6)
    with Image.open(tmp_path / "grid.png") as grid:
        assert grid.size == (5 * 10 + 2, 2 * 10 + 2)


def test_errors():
    with pytest.raises(ValueError, match="method='cubic'"):
        latent.interpolate(np.zeros(2), np.ones(2), method="cubic")
    with pytest.raises(ValueError, match="z1.shape"):
        latent.lerp(np.zeros(2), np.zeros(3), 0.5)


def test_w_interpolation_is_linear_in_the_styles_and_w_grids_follow_it():
    import tfgan
    from tfgan.architectures import style_discriminator, style_generator

    tiny = {"base_filters": 2, "max_filters": 4}
    model = tfgan.StyleGAN(style_generator((8, 8, 1), latent_dim=4, mapping_layers=2, **tiny),
                           style_discriminator((8, 8, 1), **tiny), seed=0)
    z = model.sample_latents(2, seed=0)
    ends = model.map_latents(z)
    ws = latent.w_interpolation(model, z[0], z[1], steps=5)
    assert ws.shape == (5, 4, 4)
    np.testing.assert_allclose(ws[[0, 4]], ends, atol=1e-6)
    np.testing.assert_allclose(ws[2], 0.5 * (ends[0] + ends[1]), atol=1e-6)
    # Not the styles of the interpolated latents: the mapping is not linear.
    assert np.abs(model.map_latents(latent.lerp(z[0], z[1], 0.5))[0] - ws[2]).max() > 1e-4
    grid = latent.interpolation_grid(model, num_rows=2, steps=5, seed=0, space="w")
    np.testing.assert_allclose(grid[:5], model.synthesize(ws), atol=1e-6)
    with pytest.raises(ValueError, match="Received: space='x'"):
        latent.interpolation_grid(model, space="x")
