# pandas (and numpy with it, ~30 MiB per worker) is needed only by the rarely
# used CSV export below.
import pandas as pd
from django.db.models import Count, Sum
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .models import Order
from .summary import RevenueSummary

# Bug, on purpose: the "recent exports" list that the dashboard shows is
# appended to on every export and never trimmed, so it grows for as long as
# the worker lives.
RECENT_EXPORTS = []


def index(request):
    """Dashboard: order count, revenue and the latest orders."""
    totals = Order.objects.aggregate(orders=Count("id"), revenue=Sum("total"))
    context = {
        "order_count": totals["orders"],
        "revenue": totals["revenue"] or 0,
        "last_30_days": RevenueSummary(until=timezone.now()).totals(),
        "latest": Order.objects.all()[:10],
        "recent_exports": RECENT_EXPORTS[-5:],
    }
    return render(request, "reports/index.html", context)


def export_orders_csv(request):
    """All orders as a CSV file, for the accountants' month-end close."""
    rows = list(Order.objects.order_by("created").values("id", "customer", "total", "created"))
    frame = pd.DataFrame.from_records(rows, columns=["id", "customer", "total", "created"])
    RECENT_EXPORTS.append({"at": timezone.now(), "user": str(request.user), "rows": len(rows)})
    response = HttpResponse(content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="orders.csv"'
    frame.to_csv(response, index=False)
    return response
