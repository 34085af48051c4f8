"""tfgan.callbacks."""
