import sqlite3

from django.test import TestCase
from django.urls import reverse


class HealthTests(TestCase):
    def test_health(self):
        response = self.client.get(reverse("health"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.json(),
            {"status": "ok", "database": "sqlite", "sqlite_version": sqlite3.sqlite_version},
        )


class MiddlewareTests(TestCase):
    def test_every_response_says_when_it_was_served(self):
        response = self.client.get(reverse("health"))
        self.assertTrue(response["X-Served-At"].endswith(" GMT"))
