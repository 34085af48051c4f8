"""tfgan.utils."""
