from django.db import migrations


def create_row(apps, schema_editor):
    apps.get_model("dashboard", "DataVersion").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    """The one DataVersion row exists from the start, so reading it is always one query."""

    dependencies = [("dashboard", "0002_dataversion")]
    operations = [migrations.RunPython(create_row, migrations.RunPython.noop)]
