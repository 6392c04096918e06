from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "commonground.core"
    label = "core"
    verbose_name = "Common Ground core"

    def ready(self) -> None:
        from commonground.core import checks  # noqa: F401  (registers the deploy checks)
        from commonground.core.catalogs import compile_catalogs

        compile_catalogs()  # the .mo files from the .po files, before any page is translated
