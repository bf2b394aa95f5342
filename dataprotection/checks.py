"""Warn before a business-day deadline is counted without the year's public holidays."""

from django.core.checks import Warning, register
from django.utils import timezone

from conecta.workdays import missing_years


@register()
def holidays_listed(app_configs, **kwargs):
    year = timezone.localdate().year
    missing = missing_years([year, year + 1])
    if not missing:
        return []
    return [Warning(
        f"Public holidays of {', '.join(map(str, missing))} are not in settings.PUBLIC_HOLIDAYS_FILE: "
        "the 2-business-day deadline of blocking requests counts weekends only for those years.",
        hint="Add the year's list of Chilean public holidays to the file.",
        id="dataprotection.W001",
    )]
