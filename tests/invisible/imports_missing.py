import missing_dependency  # noqa: F401
