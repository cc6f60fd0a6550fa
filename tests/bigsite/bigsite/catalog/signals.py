from django.db.models.signals import post_save
from django.dispatch import receiver
from guardian.shortcuts import assign_perm

from .models import Review


@receiver(post_save, sender=Review)
def let_authors_edit_their_reviews(sender, instance, created, **kwargs):
    if created:
        assign_perm("catalog.change_review", instance.author, instance)
        assign_perm("catalog.delete_review", instance.author, instance)
