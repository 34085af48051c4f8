"""tfgan.cli."""
