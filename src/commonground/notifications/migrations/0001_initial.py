"""Follows, notifications, e-mail settings and rate-limit counters move here from
``contributions`` with their rows.

The tables already exist (``contributions`` 0002-0004 made them), so this migration only
tells Django's state that this app now owns them, under their old table and index names;
``contributions`` 0005 removes them from that app's state. No row is copied or lost.
0002 then gives the tables and indexes this app's names.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def _content_types_follow(apps, schema_editor):
    """Admin permissions and log entries keep pointing at the same models."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("follow", "notification", "emailsetting", "rateevent"):
        if not ContentType.objects.filter(app_label="notifications", model=model).exists():
            ContentType.objects.filter(app_label="contributions", model=model).update(
                app_label="notifications"
            )


def _content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("follow", "notification", "emailsetting", "rateevent"):
        if not ContentType.objects.filter(app_label="contributions", model=model).exists():
            ContentType.objects.filter(app_label="notifications", model=model).update(
                app_label="contributions"
            )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("contributions", "0004_emailsetting_rateevent"),
        ("issues", "0004_agenda_covering_index"),
        ("participants", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Follow",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("issue", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="issues.issue")),
                        ("membership", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="participants.membership")),
                    ],
                    options={
                        "db_table": "contributions_follow",
                        "constraints": [models.UniqueConstraint(fields=("membership", "issue"), name="one_follow_per_issue")],
                    },
                ),
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(max_length=10)),
                        ("object_id", models.BigIntegerField()),
                        ("text", models.CharField(max_length=300)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("read_at", models.DateTimeField(blank=True, null=True)),
                        ("issue", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="issues.issue")),
                        ("recipient", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="participants.membership")),
                    ],
                    options={
                        "db_table": "contributions_notification",
                        "ordering": ["-created_at", "-id"],
                        "indexes": [models.Index(fields=["recipient", "read_at", "-created_at"], name="contributio_recipie_6dc564_idx")],
                    },
                ),
                migrations.CreateModel(
                    name="EmailSetting",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("mode", models.CharField(choices=[("immediate", "Immediately, one e-mail per notification"), ("daily", "A daily digest"), ("off", "Off")], default="off", max_length=10)),
                        ("last_sent_at", models.DateTimeField(blank=True, null=True)),
                        ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="email_setting", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "contributions_emailsetting",
                        "constraints": [models.CheckConstraint(condition=models.Q(mode__in=["immediate", "daily", "off"]), name="email_setting_mode_valid")],
                    },
                ),
                migrations.CreateModel(
                    name="RateEvent",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=40)),
                        ("at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("membership", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="participants.membership")),
                    ],
                    options={
                        "db_table": "contributions_rateevent",
                        "indexes": [models.Index(fields=["membership", "name", "at"], name="contributio_members_4caedb_idx")],
                    },
                ),
            ],
        ),
        migrations.RunPython(_content_types_follow, _content_types_back),
    ]
