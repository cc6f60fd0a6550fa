from django.db.models import Avg
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from .filters import ProductFilter
from .models import Category, Product, Review
from .serializers import CategorySerializer, ProductSerializer, ReviewSerializer
from .tasks import notify_new_review, rebuild_product_index


class CategoryViewSet(viewsets.ModelViewSet):
    queryset = Category.objects.all()
    serializer_class = CategorySerializer
    lookup_field = "slug"
    search_fields = ["name"]


@extend_schema_view(
    list=extend_schema(parameters=[
        OpenApiParameter("tag", OpenApiTypes.STR, description="Only products with this tag"),
    ]),
)
class ProductViewSet(viewsets.ModelViewSet):
    serializer_class = ProductSerializer
    filterset_class = ProductFilter
    lookup_field = "slug"
    search_fields = ["name", "description"]
    ordering_fields = ["name", "price", "updated"]

    def get_queryset(self):
        return (Product.objects.select_related("category").prefetch_related("tags")
                .annotate(rating=Avg("reviews__rating")).order_by("name"))

    @extend_schema(request=None, responses={202: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAdminUser])
    def reindex(self, request, slug=None):
        product = self.get_object()
        result = rebuild_product_index.delay(product.pk)
        return Response({"task": result.id}, status=202)


class ReviewViewSet(viewsets.ModelViewSet):
    queryset = Review.objects.select_related("product", "author")
    serializer_class = ReviewSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly,
                          permissions.DjangoObjectPermissions]
    filterset_fields = ["product", "rating"]

    def perform_create(self, serializer):
        review = serializer.save()
        notify_new_review.delay(review.pk)


router = DefaultRouter()
router.register("categories", CategoryViewSet)
router.register("products", ProductViewSet, basename="product")
router.register("reviews", ReviewViewSet)
