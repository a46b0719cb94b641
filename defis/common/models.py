from django.db import models


class BaseModel(models.Model):
    """Every model of Défis: creation and update times, stored in UTC."""

    created_at = models.DateTimeField(auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True, editable=False)

    class Meta:
        abstract = True
