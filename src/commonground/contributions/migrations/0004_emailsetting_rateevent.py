"""E-mail setting with three modes (immediate, daily digest, off); rate-limit counters."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def modes_from_active(apps, schema_editor):
    """A subscribed digest becomes the daily mode; an unsubscribed one becomes off."""
    EmailSetting = apps.get_model("contributions", "EmailSetting")
    EmailSetting.objects.filter(active=True).update(mode="daily")
    EmailSetting.objects.filter(active=False).update(mode="off")


def active_from_modes(apps, schema_editor):
    EmailSetting = apps.get_model("contributions", "EmailSetting")
    EmailSetting.objects.update(active=False)
    EmailSetting.objects.filter(mode="daily").update(active=True)


class Migration(migrations.Migration):
    dependencies = [
        ("contributions", "0003_digestsubscription"),
        ("participants", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel("DigestSubscription", "EmailSetting"),
        migrations.AlterField(
            model_name="emailsetting",
            name="user",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="email_setting",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="emailsetting",
            name="mode",
            field=models.CharField(
                choices=[
                    ("immediate", "Immediately, one e-mail per notification"),
                    ("daily", "A daily digest"),
                    ("off", "Off"),
                ],
                default="off",
                max_length=10,
            ),
        ),
        migrations.RunPython(modes_from_active, active_from_modes),
        migrations.RemoveField(model_name="emailsetting", name="active"),
        migrations.AddConstraint(
            model_name="emailsetting",
            constraint=models.CheckConstraint(
                condition=models.Q(mode__in=["immediate", "daily", "off"]),
                name="email_setting_mode_valid",
            ),
        ),
        migrations.CreateModel(
            name="RateEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=40)),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "membership",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="participants.membership",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["membership", "name", "at"], name="contributio_members_4caedb_idx"
                    )
                ],
            },
        ),
    ]
