from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from .models import Category, Product


class CategoryResource(resources.ModelResource):
    class Meta:
        model = Category
        fields = ("id", "name", "slug")
        import_id_fields = ("slug",)


class ProductResource(resources.ModelResource):
    category = fields.Field(column_name="category", attribute="category",
                            widget=ForeignKeyWidget(Category, field="slug"))

    class Meta:
        model = Product
        fields = ("id", "name", "slug", "category", "price", "status")
        import_id_fields = ("slug",)
