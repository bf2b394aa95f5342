"""On PostgreSQL, a trigram index makes the name search (`search_text LIKE '%…%'`) an index
lookup instead of a scan of every person. SQLite keeps the plain scan (small programs)."""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS participant_search_trgm ON participants_participant "
    "USING gin (search_text gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS participant_search_trgm"]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)
    return apply


class Migration(migrations.Migration):
    dependencies = [("participants", "0008_indexes_for_lists_and_panels")]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]
