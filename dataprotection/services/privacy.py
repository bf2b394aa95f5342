"""Publishing the privacy page: every edit is a new version, dated, and the old ones stay."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conecta import permissions
from conecta.concurrency import StaleEditError, current_values
from conecta.errors import DomainError
from dataprotection.models import PrivacyNotice


class StaleNoticeError(StaleEditError):
    """Someone published a version after the one the editor started from.

    The versions themselves are the history: the one the editor loaded is a row."""

    def loaded_snapshot(self):
        return PrivacyNotice.objects.filter(version=self.loaded_version).first()

    def loaded_values(self, names):
        loaded = self.loaded_snapshot()
        return current_values(loaded, names) if loaded is not None else None

    def last_change(self):
        return {"user": self.stored.created_by, "at": self.stored.created_at}


@transaction.atomic
def privacy_notice_publish(*, actor, version, **texts):
    """Publish the next version from `texts` (the page's sections); `version` is the one edited."""
    if not permissions.can_edit_privacy_notice(actor):
        raise DomainError(_("Solo la gestora del programa publica el aviso de privacidad."))
    current = PrivacyNotice.objects.select_for_update().order_by("-version").first()
    current_version = current.version if current is not None else 0
    if version is None or int(version) != current_version:
        raise StaleNoticeError(stored=current, loaded_version=version)
    missing = [name for name in PrivacyNotice.SECTION_FIELDS if not (texts.get(name) or "").strip()]
    if missing:
        raise DomainError(_("Complete todas las secciones del aviso."))
    notice = PrivacyNotice(version=current_version + 1, published_on=timezone.localdate(), created_by=actor,
                           **{name: texts[name].strip() for name in PrivacyNotice.SECTION_FIELDS})
    try:
        with transaction.atomic():
            notice.save()
    except IntegrityError:
        # Another version was published in the same instant (databases without row locks).
        raise StaleNoticeError(stored=PrivacyNotice.current(), loaded_version=version)
    return notice
