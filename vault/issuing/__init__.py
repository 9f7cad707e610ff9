"""Issuing credentials: issuer profiles, achievements, signing (badge), and the built-in
demo issuer of sample credentials (sample)."""
