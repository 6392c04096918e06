from django.contrib import admin

from commonground.issues.models import Issue, Support, Topic


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ["title", "forum", "cycle", "support_count", "raised_at"]
    list_filter = ["forum", "language"]
    search_fields = ["title", "description"]
    raw_id_fields = ["author", "cycle", "forum"]
    readonly_fields = ["support_count", "description_html"]


@admin.register(Support)
class SupportAdmin(admin.ModelAdmin):
    list_display = ["issue", "membership", "stakeholder_group", "created_at"]
    list_filter = ["stakeholder_group"]
    raw_id_fields = ["issue", "membership", "cycle"]


admin.site.register(Topic)
