"""The workshop types of seed 000 §2 (Plan de Intervención Grupal); the manager edits them afterwards."""

from django.db import migrations

TYPES = [
    {
        "name": "Habilidades transversales",
        "area": "psychological",
        "description": "Entrenamiento en habilidades blandas homologadas con las competencias laborales, "
                       "focalizado en el contexto laboral y las relaciones prosociales.",
        "hours_per_session": 2,
        "session_topics": [
            "Autoconocimiento y proyecto de vida",
            "Comunicación efectiva y escucha activa",
            "Trabajo en equipo y colaboración",
            "Resolución de conflictos y manejo de la frustración",
            "Responsabilidad, puntualidad y compromiso laboral",
            "Adaptación al cambio y toma de decisiones",
            "Relaciones prosociales y redes de apoyo",
        ],
    },
    {
        "name": "Apresto laboral y seguridad social",
        "area": "occupational",
        "description": "Trabajo formal, contexto legal y seguridad social.",
        "hours_per_session": 2,
        "session_topics": [
            "El contrato de trabajo y sus tipos; descuentos legales (AFP, salud, seguro de cesantía)",
            "Derechos y deberes del trabajador; liquidación de sueldo y seguridad social",
        ],
    },
    {
        "name": "Emprendimiento",
        "area": "occupational",
        "description": "Definiciones y procesos del emprendimiento, plan de negocio, fondos y capacitaciones.",
        "hours_per_session": 2,
        "session_topics": [
            "Del oficio a la idea de negocio: plan de negocio y modelo Canvas",
            "Fondos concursables, capacitación y formalización (inicio de actividades, patente)",
        ],
    },
    {
        "name": "Redes locales y beneficios",
        "area": "social",
        "description": "Conocer la red comunal y los beneficios sociales a los que se puede acceder.",
        "hours_per_session": 2,
        "session_topics": [
            "La red comunal: salud, OMIL, vivienda y organizaciones sociales",
            "Beneficios sociales: Registro Social de Hogares, subsidios y cómo postular",
        ],
    },
]


def load(apps, schema_editor):
    WorkshopType = apps.get_model("workshops", "WorkshopType")
    for data in TYPES:
        WorkshopType.objects.get_or_create(
            name=data["name"],
            defaults={**data, "session_count": len(data["session_topics"]), "completion_share": 75},
        )


def unload(apps, schema_editor):
    apps.get_model("workshops", "WorkshopType").objects.filter(name__in=[t["name"] for t in TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("workshops", "0002_workshops")]

    operations = [migrations.RunPython(load, unload)]
