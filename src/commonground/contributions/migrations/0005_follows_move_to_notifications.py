"""Follows, notifications, e-mail settings and rate-limit counters now belong to the
``notifications`` app (its migration 0001 took over the tables): this app forgets them
without touching the database."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("contributions", "0004_emailsetting_rateevent"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="Follow"),
                migrations.DeleteModel(name="Notification"),
                migrations.DeleteModel(name="EmailSetting"),
                migrations.DeleteModel(name="RateEvent"),
            ],
        )
    ]
