import warnings

warnings.warn("imported", stacklevel=2)
