from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    """Networked governance (docs/network.md): forwards up the forum tree, merges, NRI listing."""

    name = "commonground.network"
    label = "network"
    verbose_name = _("Network of forums")
