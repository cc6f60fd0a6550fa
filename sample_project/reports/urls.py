from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("orders.csv", views.export_orders_csv, name="export_orders_csv"),
]
