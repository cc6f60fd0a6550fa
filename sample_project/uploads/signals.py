"""Tell accounting about every new invoice upload.

This module only does its work by being imported: UploadsConfig.ready()
imports it so that the receivers below get connected.
"""

import json
import logging

# Only this module needs urllib.request; Django's own startup does not load it.
import urllib.request

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Upload

logger = logging.getLogger(__name__)


def post_to_webhook(url, payload):
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            logger.info("Accounting webhook answered %s", response.status)
    except OSError:
        # A missed notification must not fail the upload; accounting
        # reconciles against the bucket every night anyway.
        logger.warning("Accounting webhook %s failed", url, exc_info=True)


@receiver(post_save, sender=Upload, dispatch_uid="uploads.notify_accounting")
def notify_accounting(sender, instance, created, **kwargs):
    url = settings.INVOICE_WEBHOOK_URL
    if not created or not url:
        return
    payload = {"key": instance.key, "size": instance.size}
    # Only tell accounting once the row is really in the database.
    transaction.on_commit(lambda: post_to_webhook(url, payload))
