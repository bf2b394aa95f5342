"""Load the 16 regions and 346 communes (Decreto 1.115 codes) and the program row."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "communes.csv"


def load(apps, schema_editor):
    Region = apps.get_model("conecta", "Region")
    Commune = apps.get_model("conecta", "Commune")
    ProgramSettings = apps.get_model("conecta", "ProgramSettings")
    with DATA.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    regions = {}
    for row in rows:
        if row["region_code"] not in regions:
            regions[row["region_code"]], _created = Region.objects.update_or_create(
                code=row["region_code"],
                defaults={"name": row["region_name"], "roman": row["region_roman"]},
            )
    for row in rows:
        Commune.objects.update_or_create(
            code=row["commune_code"],
            defaults={
                "name": row["commune_name"],
                "province_code": row["province_code"],
                "province_name": row["province_name"],
                "region": regions[row["region_code"]],
            },
        )
    ProgramSettings.objects.get_or_create(
        pk=1, defaults={"commune": Commune.objects.get(code="13114"), "address": "Chesterton 8591"}
    )


class Migration(migrations.Migration):
    dependencies = [("conecta", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
