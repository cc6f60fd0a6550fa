"""lint's entry points, call graph and rules, each on small real projects written to a
temporary folder: every rule, and every case the rules must not flag."""

import textwrap
from pathlib import Path

import pytest

from lazyaudit.analysis.lint import lint_tree, scan_for_lint

from conftest import SAMPLE

SETTINGS = """
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
ROOT_URLCONF = "site_urls"
"""


def lint(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, str, int]]:
    """(code, path, line) of every finding on a project made of `files`."""
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return [(f.code, f.path, f.line) for f in lint_tree(scan_for_lint(tmp_path))]


def findings(tmp_path, views: str, urls: str = "", **more) -> list[tuple[str, str, int]]:
    """A project whose app.views is `views`, routed by app.urls (every function of the
    views module listed, unless `urls` is given)."""
    files = {"app/__init__.py": "", "app/views.py": views, "settings.py": SETTINGS,
             "app/urls.py": urls or "from django.urls import path\nfrom . import views\n"
             "urlpatterns = [path('x/', views.view)]\n"}
    files.update({name.replace("__", "/") + ".py": text for name, text in more.items()})
    return lint(tmp_path, files)


def codes(found) -> list[str]:
    return sorted(code for code, _, _ in found)


# -- LA501: module-level containers ------------------------------------------

@pytest.mark.parametrize("statement", [
    "SEEN.append(request.path)", "SEEN.extend([1])", "SEEN += [request.path]",
])
def test_a_list_grown_in_a_view(tmp_path, statement):
    found = findings(tmp_path, f"""
        SEEN = []
        def view(request):
            global SEEN
            {statement}
        """)
    assert found == [("LA501", "app/views.py", 5)]


def test_growth_calls_on_sets_and_dicts(tmp_path):
    found = findings(tmp_path, """
        from collections import defaultdict
        USERS = set()
        BY_DAY = defaultdict(list)
        OPTIONS = {}
        def view(request):
            USERS.add(1)
            BY_DAY[request.GET["day"]].append(2)
            OPTIONS.setdefault("a", 3)
        """)
    assert found == [("LA501", "app/views.py", 7), ("LA501", "app/views.py", 8),
                     ("LA501", "app/views.py", 9)]


def test_a_store_is_a_finding_only_with_request_data(tmp_path):
    found = findings(tmp_path, """
        CACHE = {}
        def view(request):
            CACHE["settings"] = 1            # constant key and value: a one-time fill
            user = request.user
            CACHE[user.pk] = "seen"          # keyed by the request's user
            CACHE.update({"x": request.GET}) # filled with the request's data
        """)
    assert found == [("LA501", "app/views.py", 6), ("LA501", "app/views.py", 7)]


def test_reads_clears_rebuilds_and_import_time_writes_are_not_findings(tmp_path):
    found = findings(tmp_path, """
        import threading, contextvars
        from collections import deque
        REGISTRY = {}
        RECENT = deque(maxlen=10)
        LOCAL = threading.local()
        CURRENT = contextvars.ContextVar("current")
        ITEMS = []

        def register(function):
            REGISTRY[function.__name__] = function   # runs at import time only
            return function

        @register
        def view(request):
            global ITEMS
            value = REGISTRY.get(request.path)
            REGISTRY.pop("x", None)
            RECENT.append(request.path)     # bounded: drops the oldest
            LOCAL.user = request.user       # one per thread, by design
            CURRENT.set(request.user)
            ITEMS = [1, 2]                  # rebuilt, not grown
            return value
        """)
    assert found == []


def test_a_helper_is_a_finding_only_when_a_view_calls_it(tmp_path):
    helpers = """
        SEEN = []
        def remember(item):
            SEEN.append(item)
        """
    assert findings(tmp_path / "a", "def view(request):\n    pass\n",
                    app__helpers=helpers) == []
    found = findings(tmp_path / "b", """
        from .helpers import remember
        def view(request):
            remember(request.path)
        """, app__helpers=helpers)
    assert found == [("LA501", "app/helpers.py", 4)]


def test_state_imported_from_another_module(tmp_path):
    found = findings(tmp_path, """
        from app import state
        from app.state import LOG
        def view(request):
            state.LOG.append(1)
            LOG.append(2)
        """, app__state="LOG = []\n")
    assert found == [("LA501", "app/views.py", 5), ("LA501", "app/views.py", 6)]


def test_a_local_of_the_same_name_is_not_the_module_state(tmp_path):
    found = findings(tmp_path, """
        SEEN = []
        def view(request):
            SEEN = []
            SEEN.append(request.path)
        """)
    assert found == []


# -- entry points and the call graph -----------------------------------------

def test_entry_points_of_every_kind(tmp_path):
    grow = "    LOG.append(1)\n"
    files = {
        "settings.py": 'MIDDLEWARE = ["app.mw.simple"]\n',
        "app/__init__.py": "",
        "app/state.py": "LOG = []\n",
        "site_urls.py": "from django.urls import include, path\n"
                        "urlpatterns = [path('a/', include('app.urls'))]\n",
        "app/urls.py": "from django.urls import path, re_path\nfrom rest_framework import "
                       "routers\nfrom . import views\nrouter = routers.DefaultRouter()\n"
                       "router.register('things', views.ThingViewSet)\n"
                       "urlpatterns = [path('f/', views.function_view), "
                       "re_path('^c/$', views.ClassView.as_view())] + router.urls\n",
        "app/views.py": "from .state import LOG\n"
                        "def function_view(request):\n" + grow +
                        "class ClassView:\n    def get(self, request):\n        self.helper()\n"
                        "    def helper(self):\n    " + grow +
                        "class ThingViewSet:\n    def list(self, request):\n    " + grow,
        "app/mw.py": "from .state import LOG\ndef simple(get_response):\n"
                     "    def middleware(request):\n    " + grow +
                     "        return get_response(request)\n    return middleware\n",
        "app/signals.py": "from django.dispatch import receiver\nfrom django.db.models."
                          "signals import post_save\nfrom .state import LOG\n"
                          "@receiver(post_save)\ndef on_save(sender, **kwargs):\n" + grow +
                          "def on_delete(sender, **kwargs):\n" + grow +
                          "post_save.connect(on_delete)\n",
        "app/templatetags/__init__.py": "",
        "app/templatetags/tags.py": "from django import template\nfrom app.state import LOG\n"
                                    "register = template.Library()\n@register.filter\n"
                                    "def shout(value):\n" + grow + "@register.simple_tag\n"
                                    "def now():\n" + grow + "def plain(value):\n" + grow +
                                    "register.filter('plain', plain)\n",
        "app/tasks.py": "from celery import shared_task\nfrom .state import LOG\n"
                        "@shared_task\ndef send():\n" + grow,
        "app/unused.py": "from .state import LOG\ndef never_called():\n" + grow,
    }
    found = lint(tmp_path, files)
    assert sorted(path for _, path, _ in found) == sorted([
        "app/views.py", "app/views.py", "app/views.py", "app/mw.py", "app/signals.py",
        "app/signals.py", "app/templatetags/tags.py", "app/templatetags/tags.py",
        "app/templatetags/tags.py", "app/tasks.py"])
    kinds = {f.entry_kind for f in lint_tree(scan_for_lint(tmp_path))}
    assert kinds == {"view", "middleware", "signal receiver", "template filter",
                     "template tag", "Celery task"}


def test_calls_followed_through_instances_and_self(tmp_path):
    found = findings(tmp_path, """
        from app.service import Service
        def view(request):
            service = Service()
            service.run(request)
        """, app__service="""
        LOG = []
        class Service:
            def run(self, request):
                self.step(request)
            def step(self, request):
                LOG.append(request)
            def unused(self):
                LOG.append(1)
        """)
    assert found == [("LA501", "app/service.py", 7)]


# -- LA502: global assignment ----------------------------------------------

def test_global_assigned_from_request_data(tmp_path):
    found = findings(tmp_path, """
        LAST = None
        CLIENT = None
        COUNT = 0
        def view(request):
            global LAST, CLIENT, COUNT
            if CLIENT is None:
                CLIENT = make_client(request.GET)    # lazy one-time initialisation
            COUNT += 1                               # not request data
            LAST = request.user
        """)
    assert found == [("LA502", "app/views.py", 10)]


# -- LA503: long-lived instances --------------------------------------------

def test_middleware_listed_or_recognised_by_its_init(tmp_path):
    middleware = """
        class Listed:
            def __init__(self, get_response):
                self.get_response = get_response
                self.count = 0
            def __call__(self, request):
                self.count += 1                   # not request data
                self.ready = True                 # a constant
                self.user = request.user
                self.paths.append(request.path)
                return self.get_response(request)

        class Recognised:
            def __init__(self, get_response):
                self.get_response = get_response
            def process_view(self, request, view, args, kwargs):
                self.view = view
            def __getattr__(self, name):          # Python calls it with a name
                self.__dict__[name] = value = getattr(self.get_response, name)
                return value
        """
    found = lint(tmp_path, {"settings.py": 'MIDDLEWARE = ["mw.Listed"]\n',
                            "mw.py": middleware})
    assert found == [("LA503", "mw.py", 9), ("LA503", "mw.py", 10),
                     ("LA503", "mw.py", 17)]


def test_admin_node_router_and_module_instances(tmp_path):
    found = lint(tmp_path, {
        "settings.py": 'DATABASE_ROUTERS = ["routers.Router"]\n',
        "routers.py": "class Router:\n    def db_for_read(self, model, **hints):\n"
                      "        self.last = model\n",
        "admin.py": "from django.contrib import admin\nclass OrderAdmin(admin.ModelAdmin):\n"
                    "    def get_queryset(self, request):\n        self.request = request\n"
                    "admin.site.register(Order, OrderAdmin)\n",
        "tags.py": "from django import template\nclass ShowNode(template.Node):\n"
                   "    def __init__(self, name):\n        self.name = name\n"
                   "    def render(self, context):\n        self.value = context['x']\n",
        "tracker.py": "class Tracker:\n    def record(self, request):\n"
                      "        self.last = request.path\ntracker = Tracker()\n",
        "views.py": "from tracker import tracker\ndef view(request):\n"
                    "    tracker.record(request)\n",
        "urls.py": "from django.urls import path\nimport views\n"
                   "urlpatterns = [path('x/', views.view)]\n",
    })
    assert found == [("LA503", "admin.py", 4), ("LA503", "routers.py", 3),
                     ("LA503", "tags.py", 6), ("LA503", "tracker.py", 3)]


def test_per_request_objects_are_never_flagged(tmp_path):
    found = findings(tmp_path, """
        from django import forms
        from django.views import View
        from rest_framework import serializers

        class OrderView(View):
            def get(self, request):
                self.user = request.user
                form = OrderForm(request.POST)
                OrderSerializer(data=request.data).save_user(request.user)

        class OrderForm(forms.Form):
            def clean(self):
                self.user = self.data["user"]

        class OrderSerializer(serializers.Serializer):
            def save_user(self, user):
                self.user = user
        """, urls="from django.urls import path\nfrom . import views\n"
                  "urlpatterns = [path('x/', views.OrderView.as_view())]\n")
    assert found == []


def test_closure_of_function_middleware(tmp_path):
    found = lint(tmp_path, {"mw.py": """
        def remember(get_response):
            seen = []
            last = None
            calls = 0
            paths = ""
            def middleware(request):
                nonlocal last, calls, paths
                seen.append(request.path)
                last = request.user
                calls += 1                   # a counter: not request data
                paths += request.path
                return get_response(request)
            return middleware
        """})
    assert found == [("LA503", "mw.py", 9), ("LA503", "mw.py", 10),
                     ("LA503", "mw.py", 12)]


# -- LA504: class-level mutable attributes -----------------------------------

def test_class_level_containers_changed_per_request(tmp_path):
    found = findings(tmp_path, """
        class Summary:
            _cache = {}
            history = []
            def __init__(self, until):
                self.until = until
            def totals(self):
                key = self.until
                self._cache[key] = 1
                Summary.history.append(key)
                return self._cache[key]
            @classmethod
            def log(cls, item):
                cls.history.append(item)

        class Own:
            _cache = {}
            def __init__(self):
                self._cache = {}          # each instance has its own
            def put(self, key):
                self._cache[key] = 1

        def view(request):
            Summary(request.GET).totals()
            Summary.log(request.path)
            Own().put(request.path)
        """)
    assert found == [("LA504", "app/views.py", 9), ("LA504", "app/views.py", 10),
                     ("LA504", "app/views.py", 14)]


# -- LA505: unbounded caches ------------------------------------------------

def test_unbounded_caches_on_request_paths(tmp_path):
    found = findings(tmp_path, """
        import functools
        from functools import lru_cache, cache

        @functools.cache
        def a(x): ...
        @lru_cache(maxsize=None)
        def b(x): ...
        @lru_cache(maxsize=256)
        def bounded(x): ...
        @cache
        def never_called(x): ...

        @cache
        def by_model(model): ...

        class Prices:
            @lru_cache(maxsize=32)
            def price(self, item): ...
            @staticmethod
            @lru_cache
            def default(): ...
            @classmethod
            @lru_cache(maxsize=None)
            def for_class(cls): ...

        def view(request):
            a(request); b(request.user.pk); bounded(request)
            by_model(Prices)                 # keyed by what the code names: bounded
            Prices().price(request.GET["item"])
            Prices.default(); Prices.for_class()
        """)
    assert found == [("LA505", "app/views.py", 5), ("LA505", "app/views.py", 7),
                     ("LA505", "app/views.py", 18)]


# -- the sample project ------------------------------------------------------

def test_sample_project_every_planted_bug_and_nothing_else():
    found = lint_tree(scan_for_lint(SAMPLE))
    assert sorted((f.code, f.state) for f in found) == [
        ("LA501", "reports.views.RECENT_EXPORTS"),
        ("LA503", "shop.middleware.CurrentUserMiddleware.current_user"),
        ("LA504", "reports.summary.RevenueSummary._cache"),
    ]


def test_a_memoised_global_is_not_a_finding(tmp_path):
    found = findings(tmp_path, """
        _ALL = None
        def view(request, event=None):
            global _ALL
            if event is None and _ALL:
                return _ALL
            types = {name: event for name in request.GET}
            if event is None:
                _ALL = types
            return types
        """)
    assert found == []


def test_views_no_urlconf_names_and_registrations_that_are_no_views(tmp_path):
    found = lint(tmp_path, {
        "shop/__init__.py": "",
        # URLs built at run time (as Oscar's apps do): found as views all the same
        "shop/views.py": "from django.views.generic import TemplateView\nSEEN = []\n"
                         "class Basket(TemplateView):\n    def get(self, request):\n"
                         "        SEEN.append(request)\n"
                         "def summary(request):\n    SEEN.append(request)\n"
                         "def helper(order):\n    SEEN.append(order)\n",
        # `register(test, Class)` is no router: its class is not a view
        "shop/filters.py": "class Filter:\n    registry = []\n    @classmethod\n"
                           "    def register(cls, test, klass):\n"
                           "        cls.registry.append((test, klass))\n"
                           "class Choice(Filter):\n    pass\n"
                           "Filter.register(lambda f: f, Choice)\n",
    })
    assert found == [("LA501", "shop/views.py", 5), ("LA501", "shop/views.py", 7)]


def test_one_time_work_and_startup_signals_are_not_per_request(tmp_path):
    found = lint(tmp_path, {
        "registry.py": """
            class Registry:
                def __init__(self):
                    self.loaded = False
                    self.providers = {}
                def register(self, cls):
                    self.providers[cls.id] = cls
                def load(self, request):
                    if not self.loaded:            # once per worker, not per request
                        for cls in discover(request):
                            self.register(cls)
                            self.last = cls
                        self.loaded = True
                    return self.providers
            registry = Registry()
            """,
        "views.py": """
            from django.db.models.signals import class_prepared, post_save
            from django.conf import settings
            from django.dispatch import receiver
            from registry import registry
            SEEN = set()
            CHECKED = set()
            @receiver(class_prepared)
            def prepared(sender, **kwargs):
                SEEN.add(sender)
            def saved(sender, instance, **kwargs):
                if settings.ALIAS not in CHECKED:   # once per alias, not per request
                    CHECKED.add(settings.ALIAS)
            post_save.connect(saved)
            class_prepared.connect(prepared)
            def view(request):
                registry.load(request)
                if request.host not in CHECKED:     # once per host: the request's
                    CHECKED.add(request.host)
            """,
        "urls.py": "from django.urls import path\nimport views\n"
                   "urlpatterns = [path('', views.view)]\n",
    })
    assert found == [("LA501", "views.py", 19)]


def test_parameters_are_request_data_only_when_the_request_flows_into_them(tmp_path):
    found = findings(tmp_path, """
        from django.conf import settings
        SITES = {}
        HOSTS = {}
        def by_id(site_id):
            SITES[site_id] = 1                   # only ever called with a setting
        def by_host(host):
            HOSTS[host] = 1                      # called with the request's host
        def lookup(data):
            by_host(data.get_host())
        def view(request):
            by_id(settings.SITE_ID)
            lookup(request)
        """)
    assert found == [("LA501", "app/views.py", 8)]


def test_admin_site_and_in_place_operators(tmp_path):
    found = lint(tmp_path, {
        "site.py": """
            from django.contrib.admin import AdminSite
            class ShopSite(AdminSite):
                def each_context(self, request):
                    self.last_request = request          # one AdminSite per worker
                    return {}
            """,
        "views.py": """
            TAGS = set()
            LOG = []
            COUNT = 0
            def view(request):
                global TAGS, LOG, COUNT
                TAGS |= {request.GET["tag"]}             # a store of request data
                LOG += [request.path]                    # a list grown
                COUNT += 1                               # a counter: not request data
            """,
        "urls.py": "from django.urls import path\nimport views\n"
                   "urlpatterns = [path('', views.view)]\n",
    })
    assert found == [("LA503", "site.py", 5), ("LA501", "views.py", 7),
                     ("LA501", "views.py", 8)]


def test_entry_points_written_other_ways(tmp_path):
    grow = "    LOG.append(1)\n"
    found = lint(tmp_path, {
        "state.py": "LOG = []\n",
        "celery_app.py": "from celery import Celery\nfrom state import LOG\napp = Celery()\n"
                         "@app.task(bind=True)\ndef bound(self):\n" + grow,
        "tags.py": "from django import template\nfrom state import LOG\n"
                   "register = template.Library()\n"
                   "@register.inclusion_tag('menu.html', takes_context=True)\n"
                   "def menu(context):\n" + grow,
        "handlers.py": "from django.dispatch import receiver\nfrom django.db.models.signals "
                       "import post_save, post_delete\nfrom state import LOG\n"
                       "@receiver([post_save, post_delete], sender='shop.Order')\n"
                       "def changed(sender, **kwargs):\n" + grow,
        "legacy.py": "from state import LOG\ndef old_view(request):\n" + grow +
                     "def included(request):\n" + grow,
        "urls.py": "from django.conf.urls import url\nfrom django.urls import include, path\n"
                   "import legacy\nextra = [path('i/', legacy.included)]\n"
                   "urlpatterns = [url(r'^old/$', legacy.old_view),\n"
                   "               path('x/', include((extra, 'extra')))]\n",
    })
    assert sorted(path for _, path, _ in found) == [
        "celery_app.py", "handlers.py", "legacy.py", "legacy.py", "tags.py"]


def test_inlines_and_admins_never_registered_are_made_per_request(tmp_path):
    # ModelAdmin.get_inline_instances() builds the inlines anew for every request, and a
    # ModelAdmin no AdminSite registers (a plugin base) is made by whoever calls it.
    found = lint(tmp_path, {"admin.py": """\
from django.contrib import admin
class LineInline(admin.TabularInline):
    def get_formset(self, request, obj=None, **kwargs):
        self.parent_obj = obj
        return super().get_formset(request, obj, **kwargs)
class BaseAdmin(admin.ModelAdmin):
    def get_form(self, request, obj=None, **kwargs):
        self.current = obj
        return super().get_form(request, obj, **kwargs)
@admin.register(Order)
class OrderAdmin(BaseAdmin):
    inlines = [LineInline]
class PluginBase(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        self.saved_object = obj
"""})
    assert found == [("LA503", "admin.py", 8)]


def test_a_test_of_the_instance_is_no_one_time_initialisation(tmp_path):
    # Only a block that sets what it tests runs once.
    found = lint(tmp_path, {"settings.py": 'MIDDLEWARE = ["mw.Remember"]\n', "mw.py": """\
class Remember:
    def __init__(self, get_response):
        self.get_response = get_response
        self.debug = False
        self.client = None
    def __call__(self, request):
        if not self.debug:
            self.last_path = request.path
        if self.client is None:
            self.client = object()
        return self.get_response(request)
"""})
    assert found == [("LA503", "mw.py", 8)]


def test_caches_fed_request_data_through_a_local_or_a_url_argument(tmp_path):
    found = findings(tmp_path, """
        import functools

        @functools.cache
        def price_for(user_id, item): ...
        @functools.lru_cache(maxsize=None)
        def by_pid(pid): ...

        class Catalog:
            @functools.cache
            def sections(self): ...

        def view(request, pid):
            user = request.user
            price_for(user.pk, 1)
            by_pid(pid)
            Catalog().sections()
        """, urls="from django.urls import path\nfrom . import views\n"
                  "urlpatterns = [path('x/<int:pid>/', views.view)]\n")
    assert found == [("LA505", "app/views.py", 4), ("LA505", "app/views.py", 6),
                     ("LA505", "app/views.py", 10)]
