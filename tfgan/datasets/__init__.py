"""tfgan.datasets."""
