"""Revenue figures for the dashboard."""

from datetime import timedelta

from django.db.models import Count, Sum

from .models import Order


class RevenueSummary:
    """Orders and revenue over the window that ends at ``until``.

    Bug, on purpose: ``_cache`` is a class attribute, so one dict is shared
    by every instance in the worker, and its key holds ``until``, the moment
    of the request. Every dashboard hit adds an entry that is never read
    again: the worker's memory grows with each request.
    """

    _cache = {}

    def __init__(self, until, days=30):
        self.since = until - timedelta(days=days)
        self.until = until

    def totals(self):
        key = (self.since, self.until)
        if key not in self._cache:
            window = Order.objects.filter(created__gte=self.since, created__lte=self.until)
            self._cache[key] = window.aggregate(orders=Count("id"), revenue=Sum("total"))
        return self._cache[key]
