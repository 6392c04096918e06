from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "commonground.notifications"
    label = "notifications"
    verbose_name = "Follows, notifications, e-mail settings and rate limits"
