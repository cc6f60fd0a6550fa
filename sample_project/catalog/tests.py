import importlib
import sys
from decimal import Decimal
from unittest import mock
from xml.etree import ElementTree

import numpy as np
from django.test import SimpleTestCase, TestCase
from django.urls import reverse

from . import feeds
from .models import Product
from .pricing import PRICE_BANDS, price_band


class PriceBandTests(SimpleTestCase):
    def test_bands_are_computed_at_import(self):
        self.assertIsInstance(PRICE_BANDS, np.ndarray)
        self.assertEqual(PRICE_BANDS.tolist(), [10.0, 30.0, 100.0, 300.0, 1000.0])

    def test_price_band(self):
        self.assertEqual(price_band(Decimal("4.99")), "budget")
        self.assertEqual(price_band(Decimal("10.00")), "everyday")
        self.assertEqual(price_band(Decimal("99.99")), "mid-range")
        self.assertEqual(price_band(300), "luxury")
        self.assertEqual(price_band(Decimal("1500")), "exclusive")


class CatalogViewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        Product.objects.create(sku="MUG-1", name="Mug", price=Decimal("8.50"))
        Product.objects.create(sku="KTL-2", name="Kettle", price=Decimal("45.00"))
        Product.objects.create(
            sku="ESP-3", name="Espresso machine", price=Decimal("649.00"), in_stock=False
        )

    def test_product_list_shows_bands(self):
        response = self.client.get(reverse("catalog:product_list"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Kettle")
        self.assertEqual(
            [band for _, band in response.context["rows"]],
            ["luxury", "mid-range", "budget"],
        )

    def test_feed_lists_products_in_stock(self):
        response = self.client.get(reverse("catalog:product_feed"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/xml")
        root = ElementTree.fromstring(response.content)
        self.assertEqual([item.get("sku") for item in root], ["KTL-2", "MUG-1"])
        self.assertEqual(root.find("product/price").text, "45.00")


class FeedFallbackTests(SimpleTestCase):
    def tearDown(self):
        # Rebind feeds.etree to whatever this environment really provides.
        importlib.reload(feeds)

    def test_falls_back_to_elementtree_without_lxml(self):
        # None in sys.modules makes "from lxml import etree" raise ImportError.
        with mock.patch.dict(sys.modules, {"lxml": None, "lxml.etree": None}):
            importlib.reload(feeds)
        self.assertIs(feeds.etree, ElementTree)
        product = Product(sku="MUG-1", name="Mug & saucer", price=Decimal("8.5"))
        xml = feeds.build_product_feed([product])
        self.assertTrue(xml.startswith(b"<?xml"))
        root = ElementTree.fromstring(xml)
        self.assertEqual(root.find("product/name").text, "Mug & saucer")
        self.assertEqual(root.find("product/price").text, "8.50")
