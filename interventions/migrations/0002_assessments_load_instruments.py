"""Load the built-in instruments written for Conecta from interventions/data/instruments/*.json.

The loader lives here, not in app code, so this migration keeps working however
the services change later. Instruments already present (same code and version)
are left alone, so the migration is safe on databases that had them."""

import json
from pathlib import Path

from django.db import migrations

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "instruments"


def load_instruments(apps, schema_editor):
    Instrument = apps.get_model("interventions", "Instrument")
    InstrumentDomain = apps.get_model("interventions", "InstrumentDomain")
    Item = apps.get_model("interventions", "Item")
    ItemOption = apps.get_model("interventions", "ItemOption")
    Cutoff = apps.get_model("interventions", "Cutoff")
    for path in sorted(DATA_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if Instrument.objects.filter(code=data["code"], version=data["version"]).exists():
            continue
        instrument = Instrument.objects.create(
            code=data["code"], version=data["version"], name=data["name"], kind=data["kind"], area=data["area"],
            description=data["description"], is_screening=data["is_screening"], status="active", built_in=True,
        )
        for cutoff in data["cutoffs"]:
            Cutoff.objects.create(instrument=instrument, domain=None, **cutoff)
        for d_order, domain_data in enumerate(data["domains"]):
            domain = InstrumentDomain.objects.create(
                instrument=instrument, order=d_order, code=domain_data["code"], name=domain_data["name"],
                description=domain_data["description"], plan_area=domain_data["plan_area"],
                suggested_objective=domain_data["suggested_objective"],
            )
            for cutoff in domain_data["cutoffs"]:
                Cutoff.objects.create(instrument=instrument, domain=domain, **cutoff)
            for i_order, item_data in enumerate(domain_data["items"]):
                item = Item.objects.create(
                    domain=domain, order=i_order, text=item_data["text"], help_text=item_data["help_text"],
                    kind=item_data["kind"], required=item_data["required"],
                )
                ItemOption.objects.bulk_create(
                    ItemOption(item=item, order=o_order, label=option["label"], score=option["score"])
                    for o_order, option in enumerate(item_data["options"])
                )


def unload_instruments(apps, schema_editor):
    Instrument = apps.get_model("interventions", "Instrument")
    Instrument.objects.filter(built_in=True, assessments__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("interventions", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_instruments, unload_instruments),
    ]
