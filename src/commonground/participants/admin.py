from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from commonground.participants.models import ApiToken, Membership, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "public_id", "is_staff", "date_joined"]
    search_fields = ["email", "display_name", "public_id"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Public profile", {"fields": ("display_name", "name_is_public", "bio", "public_id")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ["public_id"]
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "forum", "stakeholder_group", "country", "verified", "role", "status"]
    list_filter = ["stakeholder_group", "region", "verified", "role", "status", "forum"]
    search_fields = ["user__email", "user__display_name", "affiliation"]
    raw_id_fields = ["user", "forum"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]
