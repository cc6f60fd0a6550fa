"""lazyaudit: find the imports that make every Python web worker fat, and make them lazy."""

__version__ = "0.1.0"
