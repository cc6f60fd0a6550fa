from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import TemplateView
from debug_toolbar.toolbar import debug_toolbar_urls
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView, TokenVerifyView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.images.views.serve import ServeView

from bigsite.api import api_router
from bigsite.catalog.api import router as catalog_router

api_patterns = [
    path("", include(catalog_router.urls)),
    path("auth/token/", obtain_auth_token, name="token"),
    path("auth/jwt/", TokenObtainPairView.as_view(), name="jwt-obtain"),
    path("auth/jwt/refresh/", TokenRefreshView.as_view(), name="jwt-refresh"),
    path("auth/jwt/verify/", TokenVerifyView.as_view(), name="jwt-verify"),
]

urlpatterns = [
    path("django-admin/doc/", include("django.contrib.admindocs.urls")),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    re_path(r"^images/([^/]*)/(\d*)/([^/]*)/[^/]*$", ServeView.as_view(),
            name="wagtailimages_serve"),
    path("accounts/", include("allauth.urls")),
    path("products/", include("bigsite.catalog.urls")),
    path("api/v1/", include((api_patterns, "api"))),
    path("api/cms/", api_router.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/schema/swagger-ui/", SpectacularSwaggerView.as_view(url_name="schema"),
         name="swagger-ui"),
    path("api/schema/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("api-auth/", include("rest_framework.urls")),
    path("sitemap.xml", sitemap),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt",
                                            content_type="text/plain")),
    *debug_toolbar_urls(),
    # Wagtail's page serving catches everything else: keep it last.
    path("", include(wagtail_urls)),
]
