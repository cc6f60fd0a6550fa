"""Hooks for drf-spectacular's OpenAPI schema."""

CMS_PREFIXES = ("/admin/", "/api/cms/")


def public_api_only(endpoints, **kwargs):
    """Leave out Wagtail's admin and content APIs, which document themselves."""
    return [endpoint for endpoint in endpoints if not endpoint[0].startswith(CMS_PREFIXES)]
