from django.contrib import admin
from guardian.admin import GuardedModelAdmin
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Category, Product, Review
from .resources import CategoryResource, ProductResource


@admin.register(Category)
class CategoryAdmin(ImportExportModelAdmin):
    resource_classes = [CategoryResource]
    list_display = ["name", "slug", "parent"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Product)
class ProductAdmin(SimpleHistoryAdmin):
    list_display = ["name", "category", "price", "status", "updated"]
    list_filter = ["status", "category"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "description"]
    autocomplete_fields = ["category"]


@admin.register(Review)
class ReviewAdmin(GuardedModelAdmin):
    list_display = ["product", "author", "rating", "created"]
    list_filter = ["rating"]
    raw_id_fields = ["product", "author"]
