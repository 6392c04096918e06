from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    """Messages with a consensus designation, referral and uptake (the forum's outcomes)."""

    name = "commonground.outcomes"
    label = "outcomes"
    verbose_name = _("Outcomes")
    default_auto_field = "django.db.models.BigAutoField"
