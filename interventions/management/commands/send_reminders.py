"""E-mail tomorrow's appointments (run it once a day, e.g. from cron at 09:00)."""

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from interventions.services.agenda import reminders_send_for_day


class Command(BaseCommand):
    help = "Envía por correo el recordatorio de las citas de mañana (o de --fecha) que aún no lo tienen."

    def add_arguments(self, parser):
        parser.add_argument("--fecha", help="Día de las citas, AAAA-MM-DD (por omisión, mañana).")
        parser.add_argument("--usuario", help="Usuario que queda en el historial como remitente.")

    def handle(self, *args, fecha=None, usuario=None, **options):
        if fecha:
            try:
                day = datetime.date.fromisoformat(fecha)
            except ValueError:
                raise CommandError("La fecha debe tener el formato AAAA-MM-DD.")
        else:
            day = timezone.localdate() + datetime.timedelta(days=1)
        actor = None
        if usuario:
            actor = get_user_model().objects.filter(username=usuario).first()
            if actor is None:
                raise CommandError(f"No existe el usuario «{usuario}».")
        sent, skipped = reminders_send_for_day(day=day, actor=actor)
        self.stdout.write(self.style.SUCCESS(
            f"Recordatorios del {day:%d-%m-%Y}: {sent} enviados, {skipped} sin correo registrado."
        ))
