import mimetypes

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _, gettext_lazy as _lazy
from django.views import View

from conecta import permissions
from conecta.generic import ServiceFormView
from conecta.mixins import CapabilityRequiredMixin, paginate, querystring_without_page
from dataprotection.deadlines import annotate_deadlines
from dataprotection.forms.requests import (
    AnswerForm, BlockForm, ExtensionForm, IdentityForm, ProofForm, RecipientNoticeForm, RightsRequestFilterForm,
    RightsRequestForm, RightsRequestIntakeForm,
)
from dataprotection.models import RightsRequest
from dataprotection.selectors import requests as selectors
from dataprotection.services import requests as services


def _detail(pk):
    try:
        return selectors.rights_request_detail(pk=pk)
    except RightsRequest.DoesNotExist:
        raise Http404


class RightsRequestListView(CapabilityRequiredMixin, View):
    capability = staticmethod(permissions.can_manage_rights_requests)

    def get(self, request):
        form = RightsRequestFilterForm(request.GET or None)
        filters = {}
        if form.is_bound:
            form.is_valid()  # an invalid field shows its error; the valid ones still filter
            filters = form.cleaned_data
        status = filters.get("status") or selectors.STATUS_OPEN
        page = paginate(request, selectors.rights_request_list(status=status, kind=filters.get("kind", "")))
        annotate_deadlines(page.object_list)
        return render(request, "dataprotection/rightsrequest_list.html", {
            "form": form, "page": page, "status": status, "querystring": querystring_without_page(request),
            "counts": selectors.register_counts(),
        })


class RightsRequestCreateView(ServiceFormView):
    """The intake: anyone on the team; only the manager goes on to read the request."""

    capability = staticmethod(permissions.can_register_rights_request)
    form_class = RightsRequestIntakeForm
    template_name = "dataprotection/rightsrequest_form.html"
    title = _lazy("Registrar una solicitud de derechos")

    def perform(self, form):
        data = form.cleaned_data
        return services.rights_request_register(
            actor=self.request.user, kind=data["kind"], received_on=data["received_on"], channel=data["channel"],
            contact=data["contact"], description=data["description"], relation=data["relation"],
            participant=form.participant, subject_name=data["subject_name"], subject_rut=data["subject_rut"],
            requester_name=data["requester_name"], requester_rut=data["requester_rut"],
            identity_method=data["identity_method"], identity_notes=data["identity_notes"])

    def get_success_message(self, saved):
        return _("Solicitud N.º %(number)s registrada. Plazo para responder: %(date)s.") % {
            "number": saved.pk, "date": saved.due_on.strftime("%d-%m-%Y")}

    def get_success_url(self, saved):
        if permissions.can_manage_rights_requests(self.request.user):
            return saved.get_absolute_url()
        # The rest of the team registers and hands over: the content is the manager's.
        return reverse("dataprotection:rightsrequest_create")


class RightsRequestDetailView(CapabilityRequiredMixin, View):
    capability = staticmethod(permissions.can_manage_rights_requests)

    def get(self, request, pk):
        rights_request = _detail(pk)
        annotate_deadlines([rights_request])
        return render(request, "dataprotection/rightsrequest_detail.html", {
            "rights_request": rights_request,
            "recipients": selectors.recipients_to_inform(rights_request),
            "notifies_recipients": rights_request.kind in services.NOTIFY_RECIPIENTS_KINDS,
            "block_url": selectors.block_page_url(rights_request),
            "can_export": selectors.can_export(rights_request),
            "can_extend": selectors.can_extend(rights_request),
        })


class RequestStepView(ServiceFormView):
    """A page that moves a request one step; subclasses name the form, the service and the words."""

    capability = staticmethod(permissions.can_manage_rights_requests)
    template_name = "dataprotection/rightsrequest_step.html"
    intro = ""
    submit_label = _lazy("Guardar")

    def get_object(self):
        return get_object_or_404(RightsRequest.objects.select_related("participant"), pk=self.kwargs["pk"])

    def get_intro(self):
        return self.intro

    def get_context_data(self, **context):
        annotate_deadlines([self.object])
        return super().get_context_data(rights_request=self.object, intro=self.get_intro(),
                                        submit_label=self.submit_label, **context)

    def get_success_url(self, saved):
        return reverse("dataprotection:rightsrequest_detail", args=[self.object.pk])


class RightsRequestUpdateView(RequestStepView):
    form_class = RightsRequestForm
    title = _lazy("Corregir el ingreso de la solicitud")
    intro = _lazy("Los plazos se cuentan de nuevo desde la fecha de recepción.")
    success_message = _lazy("Ingreso corregido.")

    def perform(self, form):
        rights_request = form.save(commit=False)
        rights_request.participant = form.participant
        return services.rights_request_update(rights_request=rights_request, actor=self.request.user,
                                              version=form.cleaned_data["version"])


class RightsRequestVerifyView(RequestStepView):
    form_class = IdentityForm
    title = _lazy("Verificar la identidad de quien solicita")
    intro = _lazy("Antes de entregar o cambiar datos, compruebe que quien pide es la persona titular o la "
                  "representa. No guarde copias de documentos que no necesite.")
    success_message = _lazy("Identidad verificada.")

    def perform(self, form):
        data = form.cleaned_data
        return services.rights_request_verify_identity(
            rights_request=self.object, actor=self.request.user, method=data["identity_method"],
            verified_on=data["identity_verified_on"], notes=data["identity_notes"], version=data["version"])


class RightsRequestExtendView(RequestStepView):
    form_class = ExtensionForm
    title = _lazy("Prorrogar el plazo de respuesta")
    submit_label = _lazy("Prorrogar")
    success_message = _lazy("Plazo prorrogado.")

    def get_intro(self):
        return _("El plazo puede prorrogarse una sola vez, por %(days)s días más, antes de que venza. "
                 "Comunique la prórroga y su motivo a la persona.") % {"days": settings.DATA_PROTECTION_EXTENSION_DAYS}

    def perform(self, form):
        data = form.cleaned_data
        return services.rights_request_extend(rights_request=self.object, actor=self.request.user,
                                              extended_on=data["extended_on"], reason=data["extension_reason"],
                                              version=data["version"])


class RightsRequestBlockView(RequestStepView):
    form_class = BlockForm
    title = _lazy("Registrar el bloqueo aplicado")
    intro = _lazy("La fecha en que los datos de la persona quedaron bloqueados (desde su ficha). "
                  "Debe ser dentro del plazo de días hábiles que indica la ley.")
    success_message = _lazy("Bloqueo registrado.")

    def get_context_data(self, **context):
        return super().get_context_data(block_url=selectors.block_page_url(self.object), **context)

    def perform(self, form):
        return services.rights_request_record_block(rights_request=self.object, actor=self.request.user,
                                                    blocked_on=form.cleaned_data["blocked_on"],
                                                    version=form.cleaned_data["version"])


class RightsRequestAnswerView(RequestStepView):
    form_class = AnswerForm
    title = _lazy("Registrar la respuesta")
    intro = _lazy("La respuesta es fundada: diga qué se hizo y, si se rechaza total o parcialmente, "
                  "el motivo y la norma que lo permite. Indique también que la persona puede reclamar ante "
                  "la Agencia de Protección de Datos Personales.")
    submit_label = _lazy("Registrar la respuesta")
    success_message = _lazy("Respuesta registrada.")

    def perform(self, form):
        data = form.cleaned_data
        return services.rights_request_answer(rights_request=self.object, actor=self.request.user,
                                              answered_on=data["answered_on"], outcome=data["outcome"],
                                              answer=data["answer"], proof=data.get("answer_proof"),
                                              version=data["version"])


class RightsRequestProofView(RequestStepView):
    form_class = ProofForm
    title = _lazy("Adjuntar el comprobante de la respuesta")
    success_message = _lazy("Comprobante adjuntado.")

    def perform(self, form):
        return services.rights_request_attach_proof(rights_request=self.object, actor=self.request.user,
                                                    proof=form.cleaned_data["answer_proof"],
                                                    version=form.cleaned_data["version"])


class RecipientNoticeCreateView(RequestStepView):
    form_class = RecipientNoticeForm
    title = _lazy("Registrar el aviso a un destinatario")
    submit_label = _lazy("Registrar el aviso")
    success_message = _lazy("Aviso registrado.")

    def get_object(self):
        rights_request = super().get_object()
        self.recipient = selectors.recipient_by_key(rights_request, self.kwargs["key"])
        if self.recipient is None:
            raise Http404
        return rights_request

    def get_form_kwargs(self):
        return {"rights_request": self.object}

    def get_context_data(self, **context):
        return super().get_context_data(recipient=self.recipient, **context)

    def perform(self, form):
        return services.recipient_notice_record(rights_request=self.object, recipient=self.recipient,
                                                actor=self.request.user, informed_on=form.cleaned_data["informed_on"],
                                                means=form.cleaned_data["means"])


class ProofFileView(CapabilityRequiredMixin, View):
    capability = staticmethod(permissions.can_manage_rights_requests)

    def get(self, request, pk):
        rights_request = get_object_or_404(RightsRequest, pk=pk)
        if not rights_request.answer_proof:
            raise Http404
        name = rights_request.answer_proof.name
        response = FileResponse(rights_request.answer_proof.open("rb"),
                                content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
                                filename=name.rsplit("/", 1)[-1])
        response["Cache-Control"] = "no-store"
        return response


urlpatterns = [
    path("proteccion-de-datos/solicitudes/", RightsRequestListView.as_view(), name="rightsrequest_list"),
    path("proteccion-de-datos/solicitudes/nueva/", RightsRequestCreateView.as_view(), name="rightsrequest_create"),
    path("proteccion-de-datos/solicitudes/<int:pk>/", RightsRequestDetailView.as_view(), name="rightsrequest_detail"),
    path("proteccion-de-datos/solicitudes/<int:pk>/editar/", RightsRequestUpdateView.as_view(),
         name="rightsrequest_update"),
    path("proteccion-de-datos/solicitudes/<int:pk>/identidad/", RightsRequestVerifyView.as_view(),
         name="rightsrequest_verify"),
    path("proteccion-de-datos/solicitudes/<int:pk>/prorroga/", RightsRequestExtendView.as_view(),
         name="rightsrequest_extend"),
    path("proteccion-de-datos/solicitudes/<int:pk>/bloqueo/", RightsRequestBlockView.as_view(),
         name="rightsrequest_block"),
    path("proteccion-de-datos/solicitudes/<int:pk>/respuesta/", RightsRequestAnswerView.as_view(),
         name="rightsrequest_answer"),
    path("proteccion-de-datos/solicitudes/<int:pk>/comprobante/", RightsRequestProofView.as_view(),
         name="rightsrequest_proof"),
    path("proteccion-de-datos/solicitudes/<int:pk>/comprobante/archivo/", ProofFileView.as_view(),
         name="rightsrequest_proof_file"),
    path("proteccion-de-datos/solicitudes/<int:pk>/destinatarios/<str:key>/", RecipientNoticeCreateView.as_view(),
         name="recipientnotice_create"),
]
