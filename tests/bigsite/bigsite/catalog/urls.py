from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("", views.ProductListView.as_view(), name="product-list"),
    path("enquiry/", views.EnquiryView.as_view(), name="enquiry"),
    path("<slug:slug>/", views.ProductDetailView.as_view(), name="product-detail"),
]
