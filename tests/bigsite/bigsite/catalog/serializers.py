from rest_framework import serializers
from taggit.serializers import TaggitSerializer, TagListSerializerField

from .models import Category, Product, Review


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "slug", "parent"]


class ProductSerializer(TaggitSerializer, serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="slug", queryset=Category.objects.all())
    tags = TagListSerializerField(required=False)
    rating = serializers.FloatField(read_only=True, required=False)
    url = serializers.HyperlinkedIdentityField(view_name="api:product-detail",
                                               lookup_field="slug")

    class Meta:
        model = Product
        fields = ["id", "url", "name", "slug", "category", "price", "status", "description",
                  "tags", "rating", "created", "updated"]
        read_only_fields = ["created", "updated"]


class ReviewSerializer(serializers.ModelSerializer):
    author = serializers.HiddenField(default=serializers.CurrentUserDefault())

    class Meta:
        model = Review
        fields = ["id", "product", "author", "rating", "body", "created"]
