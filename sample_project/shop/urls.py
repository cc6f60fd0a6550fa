from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("health/", views.health, name="health"),
    path("catalog/", include("catalog.urls")),
    path("reports/", include("reports.urls")),
    path("uploads/", include("uploads.urls")),
]
