"""The REST API under /api/v1/ (django-ninja), on the same services as the web UI."""
