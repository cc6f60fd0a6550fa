"""Middleware of the shop: who is asking, and when the answer was served."""

import time
from email.utils import formatdate
from functools import lru_cache


@lru_cache(maxsize=128)
def served_at_header(timestamp):
    """The ``X-Served-At`` value for a response sent at ``timestamp``.

    Cached by the request's arrival time, so almost every request adds an
    entry; but the cache is bounded, so it fills and then stays the same size.
    """
    return formatdate(timestamp, usegmt=True)


class CurrentUserMiddleware:
    """Remembers who made the request, for audit logging further down.

    Bug, on purpose: Django builds one instance of a middleware per worker, so
    ``self.current_user`` outlives the request that set it and is shared by
    every request (and thread) the worker serves next.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        self.current_user = request.user
        response = self.get_response(request)
        response["X-Served-At"] = served_at_header(time.time())
        return response
