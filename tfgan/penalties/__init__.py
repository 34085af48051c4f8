"""tfgan.penalties."""
