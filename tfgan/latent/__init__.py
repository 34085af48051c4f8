"""Latent-space tools."""
