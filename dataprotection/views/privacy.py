from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _lazy

from conecta import permissions
from conecta.generic import ServiceFormView
from dataprotection.forms.privacy import PrivacyNoticeForm
from dataprotection.models import PrivacyNotice
from dataprotection.selectors import privacy as selectors
from dataprotection.services.privacy import privacy_notice_publish


def _render(request, notice):
    return render(request, "dataprotection/privacynotice_detail.html", {
        "notice": notice, "current": selectors.privacy_notice_current(),
        "versions": selectors.privacy_notice_versions(),
        "can_edit": permissions.can_edit_privacy_notice(request.user),
    })


@login_not_required
def privacy_notice(request):
    """The privacy page (/privacidad/): readable by anyone, without an account."""
    return _render(request, selectors.privacy_notice_current())


@login_not_required
def privacy_notice_version(request, number):
    notice = PrivacyNotice.objects.filter(version=number).first()
    if notice is None:
        raise Http404
    return _render(request, notice)


class PrivacyNoticeUpdateView(ServiceFormView):
    capability = staticmethod(permissions.can_edit_privacy_notice)
    form_class = PrivacyNoticeForm
    template_name = "dataprotection/privacynotice_form.html"
    title = _lazy("Editar el aviso de privacidad")
    success_message = _lazy("Nueva versión del aviso publicada.")

    def get_object(self):
        return selectors.privacy_notice_current() or PrivacyNotice()

    def perform(self, form):
        texts = {name: form.cleaned_data[name] for name in PrivacyNotice.SECTION_FIELDS}
        return privacy_notice_publish(actor=self.request.user, version=form.cleaned_data["version"] or 0, **texts)

    def get_success_url(self, saved):
        return reverse("dataprotection:privacynotice_detail")


urlpatterns = [
    path("privacidad/", privacy_notice, name="privacynotice_detail"),
    path("privacidad/version/<int:number>/", privacy_notice_version, name="privacynotice_version"),
    path("proteccion-de-datos/aviso-de-privacidad/editar/", PrivacyNoticeUpdateView.as_view(),
         name="privacynotice_update"),
]
