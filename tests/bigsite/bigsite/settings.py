"""Settings of bigsite: a CMS, a REST API, social login and background tasks.

Production-like (DEBUG off), but self-contained: SQLite, in-memory broker and
caches, S3 storage that is configured but never contacted at startup, and Sentry
without a DSN. Every value can be overridden from the environment.
"""

import os
from pathlib import Path

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get(
    "BIGSITE_SECRET_KEY", "bigsite-not-secret-0c5b1e0f6a6c4d8e9a1f2b3c4d5e6f70")
DEBUG = os.environ.get("BIGSITE_DEBUG", "") == "1"
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver", ".bigsite.example"]
CSRF_TRUSTED_ORIGINS = ["https://*.bigsite.example"]
INTERNAL_IPS = ["127.0.0.1"]
SITE_ID = 1

INSTALLED_APPS = [
    # first party
    "bigsite.blog",
    "bigsite.catalog",
    # Channels (websockets), before staticfiles
    "channels",
    # Django
    "django.contrib.admin",
    "django.contrib.admindocs",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.styleguide",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.api.v2",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # REST API
    "rest_framework",
    "rest_framework.authtoken",
    "rest_framework_simplejwt",
    "django_filters",
    "drf_spectacular",
    "corsheaders",
    # accounts and social login
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.github",
    "allauth.socialaccount.providers.gitlab",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.microsoft",
    "allauth.socialaccount.providers.openid_connect",
    "guardian",
    # tasks
    "django_celery_beat",
    # tools
    "django_extensions",
    "debug_toolbar",
    "storages",
    "import_export",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
]

MIDDLEWARE = [
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "debug_toolbar.middleware.DebugToolbarMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "bigsite.urls"
WSGI_APPLICATION = "bigsite.wsgi.application"
ASGI_APPLICATION = "bigsite.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Nothing at startup touches the database: no migrations are needed to boot.
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("BIGSITE_DATABASE", str(BASE_DIR / "db.sqlite3")),
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "/"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "French"), ("de", "German")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed files from `collectstatic`; plain app files while debugging.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG
                    else "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Product data sheets live in a private S3 bucket (see catalog/storage.py).
AWS_STORAGE_BUCKET_NAME = os.environ.get("BIGSITE_BUCKET", "bigsite-private")
AWS_S3_REGION_NAME = "eu-west-1"
AWS_DEFAULT_ACL = None
AWS_QUERYSTRING_AUTH = True

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
X_FRAME_OPTIONS = "SAMEORIGIN"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Wagtail
WAGTAIL_SITE_NAME = "bigsite"
WAGTAILADMIN_BASE_URL = "https://www.bigsite.example"
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL

# Django REST framework
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework_simplejwt.authentication.JWTAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": "100/minute"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "bigsite API",
    "DESCRIPTION": "Catalog, reviews and CMS content.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The CMS has its own API documentation: keep it out of this schema.
    "PREPROCESSING_HOOKS": ["bigsite.schema.public_api_only"],
}
SIMPLE_JWT = {"SIGNING_KEY": SECRET_KEY, "AUTH_HEADER_TYPES": ("Bearer",)}
CORS_ALLOWED_ORIGINS = ["https://app.bigsite.example"]
CORS_URLS_REGEX = r"^/api/.*$"

# django-allauth
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
SOCIALACCOUNT_PROVIDERS = {
    "github": {
        "APPS": [{"client_id": os.environ.get("GITHUB_CLIENT_ID", "bigsite"),
                  "secret": os.environ.get("GITHUB_SECRET", "not-a-secret"), "key": ""}],
        "SCOPE": ["user:email"],
    },
    "google": {
        "APPS": [{"client_id": os.environ.get("GOOGLE_CLIENT_ID", "bigsite"),
                  "secret": os.environ.get("GOOGLE_SECRET", "not-a-secret"), "key": ""}],
        "SCOPE": ["profile", "email"],
        "AUTH_PARAMS": {"access_type": "online"},
    },
}

# django-guardian
ANONYMOUS_USER_NAME = "anonymous"

# Celery: memory transport, so nothing is contacted unless a worker runs.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "memory://")
CELERY_TASK_ALWAYS_EAGER = os.environ.get("CELERY_TASK_ALWAYS_EAGER", "") == "1"
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# crispy forms
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# django-import-export
IMPORT_EXPORT_USE_TRANSACTIONS = True

# django-debug-toolbar: only ever shown with BIGSITE_DEBUG=1
DEBUG_TOOLBAR_CONFIG = {"IS_RUNNING_TESTS": False}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Sentry: integrations are set up; without a DSN nothing is ever sent.
sentry_sdk.init(
    dsn=os.environ.get("BIGSITE_SENTRY_DSN", ""),
    release=os.environ.get("BIGSITE_RELEASE", "bigsite@1.0.0"),  # else it runs `git rev-parse`
    environment=os.environ.get("BIGSITE_ENVIRONMENT", "production"),
    integrations=[DjangoIntegration(), CeleryIntegration()],
    traces_sample_rate=0.0,
    send_default_pii=False,
)
