from django.http import HttpResponse
from django.shortcuts import render

from .feeds import build_product_feed
from .models import Product
from .pricing import price_band


def product_list(request):
    products = Product.objects.all()
    rows = [(product, price_band(product.price)) for product in products]
    return render(request, "catalog/product_list.html", {"rows": rows})


def product_feed(request):
    products = Product.objects.filter(in_stock=True)
    return HttpResponse(build_product_feed(products), content_type="application/xml")
