"""The moved tables and indexes take this app's names (data stays where it is)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("contributions", "0005_follows_move_to_notifications"),
    ]

    operations = [
        migrations.RenameIndex(
            model_name="notification",
            new_name="notificatio_recipie_ce9d56_idx",
            old_name="contributio_recipie_6dc564_idx",
        ),
        migrations.RenameIndex(
            model_name="rateevent",
            new_name="notificatio_members_f33d1c_idx",
            old_name="contributio_members_4caedb_idx",
        ),
        migrations.AlterModelTable(name="emailsetting", table=None),
        migrations.AlterModelTable(name="follow", table=None),
        migrations.AlterModelTable(name="notification", table=None),
        migrations.AlterModelTable(name="rateevent", table=None),
    ]
