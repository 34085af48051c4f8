"""tfgan.export."""
