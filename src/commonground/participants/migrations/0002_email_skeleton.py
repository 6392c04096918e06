"""Each account's e-mail skeleton (participants/emails.py), unique: no look-alike addresses.

Existing accounts get theirs; when two existing addresses already look the same, the later
account keeps no skeleton (NULL) rather than failing the migration, and new look-alikes of
either are refused from now on.
"""

from django.db import migrations, models


def fill(apps, schema_editor):
    from commonground.participants.emails import email_skeleton

    User = apps.get_model("participants", "User")
    seen = set()
    for pk, email in User.objects.order_by("pk").values_list("pk", "email").iterator():
        skeleton = email_skeleton(email)
        if skeleton in seen:
            continue
        seen.add(skeleton)
        User.objects.filter(pk=pk).update(email_skeleton=skeleton)


class Migration(migrations.Migration):
    dependencies = [("participants", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="email_skeleton",
            field=models.CharField(editable=False, max_length=1024, null=True, unique=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
