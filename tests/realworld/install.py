"""Install the corpus of real projects (tests/realworld/projects.py) under .cache/realworld/.

    python tests/realworld/install.py [NAME...] [--relock]

Each project gets its own virtualenv (Python 3.11: $REALWORLD_PYTHON, else python3.11) and its
source, set up the way the project's own docs do. A stamp file holds a fingerprint of the recipe:
a project whose stamp matches is left alone, any other is rebuilt from scratch, so a second run
is quick. Dependencies are installed under the constraints of tests/realworld/locks/NAME.txt,
written by the first install (or by --relock), so every run installs the same versions.
Only installs are cached here, never results.
"""

from __future__ import annotations

import argparse
import ctypes.util
import glob
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from projects import BY_NAME, PROJECTS, Project  # noqa: E402


class InstallError(Exception):
    """A step failed; the message says which, with the command's output."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help="only these projects")
    parser.add_argument("--relock", action="store_true",
                        help="install without the locks and write them again")
    args = parser.parse_args(argv)
    unknown = [name for name in args.names if name not in BY_NAME]
    if unknown:
        parser.error(f"unknown project {', '.join(unknown)}; known: {', '.join(BY_NAME)}")
    chosen = [BY_NAME[name] for name in args.names] or PROJECTS
    try:
        python = base_python()
    except InstallError as error:
        print(f"realworld: error: {error}", file=sys.stderr)
        return 1
    failed = []
    for project in chosen:   # one failure must not keep the others from installing
        try:
            install(project, python, relock=args.relock)
        except InstallError as error:
            print(f"realworld: error: {project.name}: {error}", file=sys.stderr)
            failed.append(project.name)
    return 1 if failed else 0


def base_python() -> str:
    candidates = [os.environ.get("REALWORLD_PYTHON"), shutil.which("python3.11"),
                  *sorted(glob.glob("/root/.pyenv/versions/3.11.*/bin/python3.11"))]
    for candidate in candidates:
        if candidate and subprocess.run([candidate, "-c", "import venv"],
                                        capture_output=True).returncode == 0:
            return candidate
    raise InstallError("no Python 3.11 found: set REALWORLD_PYTHON to one")


def fingerprint(project: Project) -> str:
    """What the installed tree depends on: the recipes, what is installed where, the lock."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(repr((project.name, project.distribution, project.version,
                        project.root)).encode())
    if project.lock.exists():
        digest.update(project.lock.read_bytes())
    return digest.hexdigest()


def install(project: Project, python: str, *, relock: bool = False) -> None:
    if not relock and project.stamp.exists() and \
            project.stamp.read_text().strip() == fingerprint(project):
        print(f"{project.name}: up to date")
        return
    started = time.monotonic()
    print(f"{project.name}: installing {project.distribution}=={project.version}", flush=True)
    shutil.rmtree(project.home, ignore_errors=True)
    project.home.mkdir(parents=True)
    run([python, "-m", "venv", str(project.home / "venv")])
    constraints = [] if relock or not project.lock.exists() else ["-c", str(project.lock)]
    RECIPES[project.name](project, constraints)
    if relock or not project.lock.exists():
        write_lock(project)
    project.stamp.write_text(fingerprint(project) + "\n")
    print(f"{project.name}: ready in {time.monotonic() - started:.0f} s", flush=True)


# --- steps shared by the recipes -----------------------------------------------------------

def run(command: list[str], cwd: Path | None = None, env: dict | None = None) -> str:
    completed = subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True,
                               text=True, env={**os.environ, **(env or {})})
    if completed.returncode != 0:
        output = (completed.stdout + completed.stderr).strip()
        raise InstallError(f"{' '.join(map(str, command))} failed (exit "
                           f"{completed.returncode}):\n{output[-4000:]}")
    return completed.stdout


def pip_install(project: Project, constraints: list[str], *requirements: str,
                env: dict | None = None) -> None:
    run([project.python, "-m", "pip", "install", "-q", "--disable-pip-version-check",
         *constraints, *requirements], env=env)


def unpack_sdist(project: Project, *pip_options: str) -> Path:
    """Download the project's sdist from PyPI and unpack it into its folder."""
    downloads = project.home / "downloads"
    run([project.python, "-m", "pip", "download", "-q", "--disable-pip-version-check",
         "--no-deps", "--no-binary", ":all:", *pip_options, "-d", downloads,
         f"{project.distribution}=={project.version}"])
    (archive,) = downloads.glob("*.tar.gz")
    with tarfile.open(archive) as tar:
        tar.extractall(project.home, filter="data")
    shutil.rmtree(downloads)
    unpacked = project.home / archive.name.removesuffix(".tar.gz")
    # Project roots in projects.py use the distribution's name as PyPI spells the folder.
    wanted = project.home / project.root.split("/")[0]
    if unpacked != wanted:
        unpacked.rename(wanted)
    return wanted


def bin_of(project: Project, script: str) -> Path:
    return project.python.parent / script


def write_lock(project: Project) -> None:
    frozen = run([project.python, "-m", "pip", "freeze", "--exclude-editable",
                  "--disable-pip-version-check"])
    lines = [line for line in frozen.splitlines()
             if line and not line.startswith(("#", "-e "))]
    project.lock.parent.mkdir(exist_ok=True)
    project.lock.write_text(
        f"# Versions installed for the corpus project {project.name}; "
        "tests/realworld/install.py --relock rewrites this file.\n" + "\n".join(lines) + "\n")


def append(path: Path, text: str) -> None:
    with path.open("a") as file:
        file.write("\n" + textwrap.dedent(text).lstrip("\n"))


# --- one recipe per project ----------------------------------------------------------------

def install_wagtail(project: Project, constraints: list[str]) -> None:
    pip_install(project, constraints, f"wagtail=={project.version}")
    project.project.mkdir()
    run([bin_of(project, "wagtail"), "start", "mysite", project.project])
    pip_install(project, constraints, "-r", str(project.project / "requirements.txt"))


OSCAR_APPS = """
    "oscar.config.Shop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "oscar.apps.checkout.apps.CheckoutConfig",
    "oscar.apps.address.apps.AddressConfig",
    "oscar.apps.shipping.apps.ShippingConfig",
    "oscar.apps.catalogue.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "oscar.apps.partner.apps.PartnerConfig",
    "oscar.apps.basket.apps.BasketConfig",
    "oscar.apps.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "oscar.apps.order.apps.OrderConfig",
    "oscar.apps.customer.apps.CustomerConfig",
    "oscar.apps.search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "oscar.apps.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "oscar.apps.dashboard.orders.apps.OrdersDashboardConfig",
    "oscar.apps.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
"""


def install_oscar(project: Project, constraints: list[str]) -> None:
    root = unpack_sdist(project)
    # Oscar's guide adds sorl-thumbnail as the thumbnail backend.
    pip_install(project, constraints, "-e", str(root), "sorl-thumbnail")
    run([bin_of(project, "django-admin"), "startproject", "frobshop", root])
    append(root / "frobshop" / "settings.py", f"""
        # Oscar, as its guide "Building your own shop" sets it up.
        from oscar.defaults import *  # noqa: E402,F401,F403

        INSTALLED_APPS += [
            "django.contrib.sites",
            "django.contrib.flatpages",
            {textwrap.indent(OSCAR_APPS.strip(), " " * 12).lstrip()}
            "widget_tweaks",
            "haystack",
            "treebeard",
            "sorl.thumbnail",
            "django_tables2",
        ]
        SITE_ID = 1
        MIDDLEWARE += [
            "oscar.apps.basket.middleware.BasketMiddleware",
            "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
        ]
        TEMPLATES[0]["OPTIONS"]["context_processors"] += [
            "oscar.apps.search.context_processors.search_form",
            "oscar.apps.checkout.context_processors.checkout",
            "oscar.apps.communication.notifications.context_processors.notifications",
            "oscar.core.context_processors.metadata",
        ]
        AUTHENTICATION_BACKENDS = (
            "oscar.apps.customer.auth_backends.EmailBackend",
            "django.contrib.auth.backends.ModelBackend",
        )
        HAYSTACK_CONNECTIONS = {{
            "default": {{"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}},
        }}
    """)
    (root / "frobshop" / "urls.py").write_text(textwrap.dedent('''
        """URLs of the shop, as Oscar's guide "Building your own shop" writes them."""
        from django.apps import apps
        from django.contrib import admin
        from django.urls import include, path

        urlpatterns = [
            path("i18n/", include("django.conf.urls.i18n")),
            path("admin/", admin.site.urls),
            path("", include(apps.get_app_config("oscar").urls[0])),
        ]
    ''').lstrip())


def install_djangocms(project: Project, constraints: list[str]) -> None:
    pip_install(project, constraints, f"django-cms=={project.version}")
    project.project.mkdir()
    run([bin_of(project, "django-admin"), "startproject", "cmssite", project.project])
    settings = project.project / "cmssite" / "settings.py"
    append(settings, """
        # django CMS, as its guide "How to install django CMS by hand" sets it up.
        INSTALLED_APPS = [
            "djangocms_admin_style",
            *INSTALLED_APPS,
            "django.contrib.sites",
            "cms",
            "menus",
            "treebeard",
            "sekizai",
        ]
        SITE_ID = 1
        MIDDLEWARE = [
            "cms.middleware.utils.ApphookReloadMiddleware",
            *MIDDLEWARE[:3],
            "django.middleware.locale.LocaleMiddleware",
            *MIDDLEWARE[3:],
            "cms.middleware.user.CurrentUserMiddleware",
            "cms.middleware.page.CurrentPageMiddleware",
            "cms.middleware.toolbar.ToolbarMiddleware",
            "cms.middleware.language.LanguageCookieMiddleware",
        ]
        TEMPLATES[0]["DIRS"] = [BASE_DIR / "templates"]
        TEMPLATES[0]["OPTIONS"]["context_processors"] += [
            "django.template.context_processors.i18n",
            "sekizai.context_processors.sekizai",
            "cms.context_processors.cms_settings",
        ]
        LANGUAGES = [("en", "English")]
        CMS_TEMPLATES = [("base.html", "Base")]
        CMS_CONFIRM_VERSION4 = True
        X_FRAME_OPTIONS = "SAMEORIGIN"
    """)
    (project.project / "cmssite" / "urls.py").write_text(textwrap.dedent('''
        """URLs of the site, as django CMS's guide writes them."""
        from django.conf.urls.i18n import i18n_patterns
        from django.contrib import admin
        from django.urls import include, path

        urlpatterns = i18n_patterns(
            path("admin/", admin.site.urls),
            path("", include("cms.urls")),
        )
    ''').lstrip())
    templates = project.project / "templates"
    templates.mkdir()
    (templates / "base.html").write_text(textwrap.dedent("""
        {% load cms_tags sekizai_tags %}
        <html>
          <head><title>{% page_attribute "page_title" %}</title>{% render_block "css" %}</head>
          <body>
            {% cms_toolbar %}
            {% placeholder "content" %}
            {% render_block "js" %}
          </body>
        </html>
    """).lstrip())


def install_pretalx(project: Project, constraints: list[str]) -> None:
    root = unpack_sdist(project)
    pip_install(project, constraints, "-e", str(root))


def install_pretix(project: Project, constraints: list[str]) -> None:
    # pretix checks uploads with python-magic, which loads Debian's libmagic1.
    if not ctypes.util.find_library("magic"):
        raise InstallError("pretix needs libmagic: apt-get install -y libmagic1")
    # Its build backend asks for all of pretix's dependencies as build requirements, which
    # pip cannot resolve in an isolated build; preparing the sdist's metadata needs only these.
    pip_install(project, constraints, "setuptools", "wheel", "tomli", "importlib_metadata<10")
    root = unpack_sdist(project, "--no-build-isolation")
    # PRETIX_DOCKER_BUILD skips the npm build of the static files, as pretix's own Docker
    # image does at this step; the boot does not need them.
    pip_install(project, constraints, "-e", str(root), env={"PRETIX_DOCKER_BUILD": "1"})


def install_httpie(project: Project, constraints: list[str]) -> None:
    root = unpack_sdist(project)
    pip_install(project, constraints, "-e", str(root))


RECIPES = {
    "wagtail": install_wagtail,
    "oscar": install_oscar,
    "djangocms": install_djangocms,
    "pretalx": install_pretalx,
    "pretix": install_pretix,
    "httpie": install_httpie,
}

if __name__ == "__main__":
    sys.exit(main())
