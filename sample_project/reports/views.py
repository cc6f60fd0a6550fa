# pandas (and numpy with it, ~30 MiB per worker) is needed only by the rarely
# used CSV export below.
import pandas as pd
from django.db.models import Count, Sum
from django.http import HttpResponse
from django.shortcuts import render

from .models import Order


def index(request):
    """Dashboard: order count, revenue and the latest orders."""
    totals = Order.objects.aggregate(orders=Count("id"), revenue=Sum("total"))
    context = {
        "order_count": totals["orders"],
        "revenue": totals["revenue"] or 0,
        "latest": Order.objects.all()[:10],
    }
    return render(request, "reports/index.html", context)


def export_orders_csv(request):
    """All orders as a CSV file, for the accountants' month-end close."""
    rows = Order.objects.order_by("created").values("id", "customer", "total", "created")
    frame = pd.DataFrame.from_records(list(rows), columns=["id", "customer", "total", "created"])
    response = HttpResponse(content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="orders.csv"'
    frame.to_csv(response, index=False)
    return response
