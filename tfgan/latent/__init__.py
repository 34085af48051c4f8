"""Latent-space tools: interpolation (linear, slerp; lerp in a StyleGAN's W), GIFs,
attribute vectors."""

from tfgan.latent.attributes import apply_attribute
from tfgan.latent.attributes import attribute_grid
from tfgan.latent.attributes import attribute_vector
from tfgan.latent.attributes import attribute_vector_from_samples
from tfgan.latent.gif import save_gif
from tfgan.latent.gif import save_interpolation_gif
from tfgan.latent.interpolation import interpolate
from tfgan.latent.interpolation import interpolation_grid
from tfgan.latent.interpolation import interpolation_latents
from tfgan.latent.interpolation import interpolation_path
from tfgan.latent.interpolation import lerp
from tfgan.latent.interpolation import slerp
from tfgan.latent.interpolation import w_interpolation
