import csv
import io
from decimal import Decimal

from django.test import TestCase
from django.urls import reverse

from .models import Order


class ReportViewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.first = Order.objects.create(customer="Ada Lovelace", total=Decimal("12.50"))
        cls.second = Order.objects.create(customer="Grace Hopper", total=Decimal("99.00"))

    def test_dashboard(self):
        response = self.client.get(reverse("reports:index"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["order_count"], 2)
        self.assertEqual(response.context["revenue"], Decimal("111.50"))
        self.assertEqual(response.context["last_30_days"]["orders"], 2)
        self.assertContains(response, "Grace Hopper")

    def test_export_orders_csv(self):
        response = self.client.get(reverse("reports:export_orders_csv"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/csv")
        self.assertIn('filename="orders.csv"', response["Content-Disposition"])

        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
        self.assertEqual(
            [(row["id"], row["customer"], row["total"]) for row in rows],
            [
                (str(self.first.pk), "Ada Lovelace", "12.50"),
                (str(self.second.pk), "Grace Hopper", "99.00"),
            ],
        )
        self.assertTrue(rows[0]["created"].startswith(str(self.first.created.date())))

    def test_export_with_no_orders_has_header_only(self):
        Order.objects.all().delete()
        response = self.client.get(reverse("reports:export_orders_csv"))
        self.assertEqual(response.content.decode("utf-8").strip(), "id,customer,total,created")

    def test_dashboard_lists_recent_exports(self):
        self.client.get(reverse("reports:export_orders_csv"))
        response = self.client.get(reverse("reports:index"))
        self.assertContains(response, "Recent exports")
        self.assertEqual(response.context["recent_exports"][-1]["rows"], 2)
