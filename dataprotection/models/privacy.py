"""The privacy page (aviso de privacidad): every edit is a new version; old ones are kept."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PrivacyNotice(models.Model):
    """One published version of the privacy page. Rows are never changed: an edit publishes
    the next version, so the text a person read on a given date can always be shown again."""

    version = models.PositiveIntegerField(_("versión"), unique=True)
    published_on = models.DateField(_("fecha de publicación"))
    controller = models.TextField(_("responsable del tratamiento"))
    contact = models.TextField(_("encargado/a de protección de datos y cómo contactarlo"))
    data_categories = models.TextField(_("datos que tratamos"))
    purposes = models.TextField(_("para qué los usamos"))
    legal_bases = models.TextField(_("bases legales"))
    recipients = models.TextField(_("a quién se comunican"))
    retention = models.TextField(_("cuánto tiempo se conservan"))
    rights = models.TextField(_("sus derechos y cómo ejercerlos"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("publicada por"))
    created_at = models.DateTimeField(auto_now_add=True)

    # The page's sections, in reading order.
    SECTION_FIELDS = ("controller", "contact", "data_categories", "purposes", "legal_bases", "recipients",
                      "retention", "rights")

    class Meta:
        ordering = ["-version"]
        verbose_name = _("aviso de privacidad")
        verbose_name_plural = _("avisos de privacidad")

    def __str__(self):
        return _("Aviso de privacidad, versión %(version)s del %(date)s") % {
            "version": self.version, "date": self.published_on.strftime("%d-%m-%Y")}

    def get_absolute_url(self):
        return reverse("dataprotection:privacynotice_version", args=[self.version])

    @classmethod
    def current(cls):
        return cls.objects.order_by("-version").first()

    def sections(self):
        """[(title, text)] in reading order."""
        return [(self._meta.get_field(name).verbose_name, getattr(self, name)) for name in self.SECTION_FIELDS]
