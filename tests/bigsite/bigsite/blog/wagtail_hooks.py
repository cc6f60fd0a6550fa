from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from bigsite.catalog.models import Category


@hooks.register("insert_global_admin_css")
def global_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("blog/admin.css"))


@hooks.register("register_admin_menu_item")
def register_api_docs_menu_item():
    return MenuItem("API docs", "/api/schema/swagger-ui/", icon_name="code", order=10000)


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "folder-open-inverse"
    menu_label = "Categories"
    list_display = ["name", "slug"]
    search_fields = ["name"]


register_snippet(CategoryViewSet)
