import fw  # noqa: F401
from app import both, mixed, stats, views  # noqa: F401
