from django import forms
from django.utils.translation import gettext_lazy as _

from conecta.concurrency import VersionedFormMixin
from conecta.forms import CrispyMixin
from dataprotection.models import PrivacyNotice


class PrivacyNoticeForm(VersionedFormMixin, CrispyMixin, forms.ModelForm):
    """The texts of the next version, starting from the current one (`instance`, never saved)."""

    class Meta:
        model = PrivacyNotice
        fields = list(PrivacyNotice.SECTION_FIELDS)
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in PrivacyNotice.SECTION_FIELDS}
        help_texts = {
            "contact": _("Quién responde las consultas y solicitudes, y cómo ubicarla (correo, dirección, horario)."),
            "rights": _("Cada derecho en palabras simples y cómo presentar una solicitud, con los plazos."),
        }
