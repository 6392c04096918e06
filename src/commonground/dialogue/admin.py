from django.contrib import admin

from commonground.dialogue.models import (
    Conversation,
    OpinionSnapshot,
    Statement,
    Vote,
)


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ["topic", "forum", "issue", "moderation", "is_open", "created_at"]
    list_filter = ["moderation", "is_open"]
    search_fields = ["topic"]
    raw_id_fields = ["forum", "issue", "created_by"]


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ["text", "conversation", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["text"]
    raw_id_fields = ["conversation", "author"]


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["participant_key", "statement", "value", "updated_at"]
    raw_id_fields = ["conversation", "statement", "membership"]


@admin.register(OpinionSnapshot)
class OpinionSnapshotAdmin(admin.ModelAdmin):
    list_display = ["conversation", "computed_at", "participants", "votes", "groups"]
    raw_id_fields = ["conversation"]
    readonly_fields = ["result", "state"]
