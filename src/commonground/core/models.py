"""The core's tables: the read versions of commonground.core.readcache."""

from __future__ import annotations

from django.db import models


class ReadVersion(models.Model):
    """The current token of one scope of cached reads (``all``, ``issue:<id>``); replaced
    in the transaction of every change the scope covers."""

    scope = models.CharField(max_length=80, primary_key=True)
    token = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.scope}={self.token}"
