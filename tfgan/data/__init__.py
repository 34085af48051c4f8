"""Data shipped inside the package: the embedded MNIST subset and the MNIST classifier.

A package (not a bare folder) so that `packages = find:` installs it, `package_data` applies
to it and `importlib.resources.files("tfgan.data")` finds its files in a wheel install.
See README.md here for what each file is.
"""
