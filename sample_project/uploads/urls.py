from django.urls import path

from . import views

app_name = "uploads"

urlpatterns = [
    path("", views.upload_list, name="upload_list"),
    path("new/", views.upload_invoice_view, name="upload_invoice"),
]
