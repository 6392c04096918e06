from django.contrib import admin

from commonground.contributions.models import (
    Advice,
    AdviceRevision,
    Comment,
    ContributionSettings,
    ModerationAction,
    Report,
    Signal,
    Solution,
)


@admin.register(Signal)
class SignalAdmin(admin.ModelAdmin):
    list_display = ["issue", "jurisdiction", "priority", "hidden", "created_at"]
    list_filter = ["priority", "hidden"]
    raw_id_fields = ["issue", "forum", "author"]


@admin.register(Solution)
class SolutionAdmin(admin.ModelAdmin):
    list_display = ["title", "issue", "hidden", "created_at"]
    list_filter = ["hidden"]
    search_fields = ["title", "description"]
    raw_id_fields = ["issue", "forum", "author"]


class AdviceRevisionInline(admin.TabularInline):
    model = AdviceRevision
    extra = 0


@admin.register(Advice)
class AdviceAdmin(admin.ModelAdmin):
    list_display = ["solution", "feasibility", "revision_count", "hidden", "created_at"]
    list_filter = ["feasibility", "hidden"]
    raw_id_fields = ["solution", "forum", "author"]
    inlines = [AdviceRevisionInline]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["pk", "issue", "solution", "stance", "hidden", "deleted_at", "created_at"]
    list_filter = ["stance", "hidden"]
    raw_id_fields = ["issue", "solution", "parent", "forum", "author"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["kind", "object_id", "reason", "created_at"]
    list_filter = ["kind", "reason"]
    raw_id_fields = ["forum", "reporter"]


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    list_display = ["kind", "object_id", "action", "automatic", "reason", "created_at"]
    list_filter = ["action", "automatic"]
    raw_id_fields = ["forum", "issue", "steward"]


admin.site.register(ContributionSettings)
