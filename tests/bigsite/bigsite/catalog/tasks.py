from celery import shared_task
from django.core.cache import cache
from django.core.mail import mail_admins


@shared_task(bind=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def rebuild_product_index(self, product_id):
    """Recompute what the product pages cache about one product."""
    from .models import Product

    product = Product.objects.select_related("category").get(pk=product_id)
    cache.set(f"product:{product.slug}", {
        "name": product.name, "category": product.category.name, "price": str(product.price),
        "tags": sorted(product.tags.names()),
    }, timeout=None)
    return product.pk


@shared_task
def notify_new_review(review_id):
    from .models import Review

    review = Review.objects.select_related("product").get(pk=review_id)
    mail_admins(f"New review of {review.product}", review.body)
