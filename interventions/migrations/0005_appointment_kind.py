from django.db import migrations, models

FOLLOWUP_PSYCHOLOGIST = "followup_psychologist"  # conecta.permissions, frozen here


def derive_kind(apps, schema_editor):
    """Existing appointments take their kind from their professional: the follow-up
    psychologist's are follow-up interviews, the rest the care of their area (the default).
    The history keeps its rows as they were: the kind did not exist then."""
    Appointment = apps.get_model("interventions", "Appointment")
    Appointment.objects.filter(professional__groups__name=FOLLOWUP_PSYCHOLOGIST).update(kind="followup")


class Migration(migrations.Migration):

    dependencies = [
        ('interventions', '0004_versioned_casework'),
    ]

    operations = [
        migrations.AddField(
            model_name='appointment',
            name='kind',
            field=models.CharField(choices=[('care', 'Atención del área'), ('intake', 'Entrevista de ingreso'), ('family', 'Atención familiar'), ('followup', 'Seguimiento')], default='care', max_length=10, verbose_name='tipo de cita'),
        ),
        migrations.AddField(
            model_name='historicalappointment',
            name='kind',
            field=models.CharField(choices=[('care', 'Atención del área'), ('intake', 'Entrevista de ingreso'), ('family', 'Atención familiar'), ('followup', 'Seguimiento')], default='care', max_length=10, verbose_name='tipo de cita'),
        ),
        migrations.RunPython(derive_kind, migrations.RunPython.noop),
    ]
