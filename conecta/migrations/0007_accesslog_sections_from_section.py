"""Data migration: rows written before one page view made one row carry their single section."""

from django.db import migrations


def copy_section(apps, schema_editor):
    AccessLog = apps.get_model("conecta", "AccessLog")
    for entry in AccessLog.objects.filter(sections="").only("pk", "section").iterator():
        AccessLog.objects.filter(pk=entry.pk).update(sections=entry.section)


def copy_back(apps, schema_editor):
    AccessLog = apps.get_model("conecta", "AccessLog")
    for entry in AccessLog.objects.only("pk", "sections").iterator():
        AccessLog.objects.filter(pk=entry.pk).update(section=(entry.sections.split(",") or [""])[0][:20])


class Migration(migrations.Migration):

    dependencies = [
        ("conecta", "0006_accesslog_sections"),
    ]

    operations = [
        migrations.RunPython(copy_section, copy_back),
    ]
