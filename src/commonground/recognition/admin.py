from django.contrib import admin

from commonground.recognition.models import AgendaPublication


@admin.register(AgendaPublication)
class AgendaPublicationAdmin(admin.ModelAdmin):
    list_display = ["cycle", "number", "published_at", "publisher_name"]
    readonly_fields = ["cycle", "number", "published_at", "published_by", "settings", "agenda"]
