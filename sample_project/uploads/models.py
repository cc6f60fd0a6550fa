from django.db import models


class Upload(models.Model):
    """An invoice file archived in S3."""

    key = models.CharField(max_length=512, unique=True)
    size = models.PositiveBigIntegerField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return self.key
