"""tfgan.layers."""
