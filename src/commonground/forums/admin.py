from django.contrib import admin

from commonground.forums.models import Cycle, Forum, PhaseChange


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "level", "parent", "country", "region"]
    list_filter = ["level", "region"]
    search_fields = ["slug", "name"]


class PhaseChangeInline(admin.TabularInline):
    model = PhaseChange
    extra = 0
    readonly_fields = ["from_phase", "to_phase", "changed_by", "changed_at"]


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ["forum", "name", "phase", "is_open", "opened_at"]
    list_filter = ["phase", "is_open"]
    inlines = [PhaseChangeInline]
