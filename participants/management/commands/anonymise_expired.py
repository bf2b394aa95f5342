"""Monthly (cron): list what is past its retention period and, with --apply, anonymise it.

    python manage.py anonymise_expired            # dry run: counts and ids, changes nothing
    python manage.py anonymise_expired --apply    # anonymise (identity and free text, history included)

The periods are settings.CONECTA_RETENTION (see participants/retention.py)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from participants import retention


class Command(BaseCommand):
    help = "Lista los registros con plazo de conservación vencido y, con --apply, los anonimiza."

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="Anonimizar (sin esta opción solo se listan).")
        parser.add_argument("--today", help="Fecha de referencia AAAA-MM-DD (por omisión, hoy).")

    def handle(self, *args, apply=False, today=None, **options):
        if today:
            try:
                today = datetime.date.fromisoformat(today)
            except ValueError:
                raise CommandError("--today debe tener la forma AAAA-MM-DD.")
        report = retention.apply_retention(today=today) if apply else retention.retention_report(today=today)
        self.stdout.write(f"Plazos de conservación al {report.today:%d-%m-%Y}"
                          f"{'' if apply else ' (simulación: no se modifica nada; use --apply)'}")
        self.stdout.write(f"Personas con plazo vencido: {len(report.people)}{self._ids(report.people)}")
        if report.skipped_blocked:
            self.stdout.write(f"Personas omitidas por estar bloqueadas: {len(report.skipped_blocked)}"
                              f"{self._ids(report.skipped_blocked)}")
        self.stdout.write(f"Seguimientos telefónicos vencidos: {len(report.phone_followups)}"
                          f"{self._ids(report.phone_followups)}")
        self.stdout.write(f"Registros de acceso vencidos: {report.access_log}")
        if apply:
            for label, count in sorted(report.rows.items()):
                if count:
                    self.stdout.write(f"  anonimizadas {count} filas de {label}")
            self.stdout.write(self.style.SUCCESS("Anonimización terminada."))

    @staticmethod
    def _ids(ids):
        return f" (ids: {', '.join(str(pk) for pk in ids)})" if ids else ""
