"""tfgan.metrics."""
