from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FederationConfig(AppConfig):
    """Across instances (docs/federation.md): identity, peers, remote forums, deliveries."""

    name = "commonground.federation"
    label = "federation"
    verbose_name = _("Federation")
