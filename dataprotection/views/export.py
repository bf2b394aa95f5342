from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.text import slugify
from django.views import View

from conecta import permissions
from conecta.mixins import CapabilityRequiredMixin, id_param
from conecta.pdf import pdf_response
from conecta.services import access_log_record
from dataprotection.export import logged_sections, personal_data_export, to_json, to_xlsx
from dataprotection.models import RightsRequest
from participants.models import Participant

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PersonalDataExportView(CapabilityRequiredMixin, View):
    """Everything held on a person, in one click; `?solicitud=<id>` names the access request answered.

    Each export is written to the access log with every section it reveals."""

    capability = staticmethod(permissions.can_export_personal_data)
    output = "pdf"

    def get(self, request, pk):
        person = get_object_or_404(Participant, pk=pk)
        request_id = id_param(request.GET.get("solicitud"))
        rights_request = (RightsRequest.objects.filter(pk=request_id, participant=person).first()
                          if request_id is not None else None)
        export = personal_data_export(person=person, rights_request=rights_request)
        access_log_record(user=request.user, subject=person, sections=logged_sections(export), path=request.path)
        filename = slugify(f"datos-personales-{person.rut}")
        if self.output == "pdf":
            return pdf_response(request=request, template="dataprotection/pdf/access.html",
                                context={"export": export}, filename=filename)
        if self.output == "json":
            response = HttpResponse(to_json(export), content_type="application/json; charset=utf-8")
            extension = "json"
        else:
            response = HttpResponse(to_xlsx(export), content_type=XLSX)
            extension = "xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
        response["Cache-Control"] = "no-store"
        return response


urlpatterns = [
    path("proteccion-de-datos/personas/<int:pk>/datos.pdf", PersonalDataExportView.as_view(output="pdf"),
         name="personaldata_pdf"),
    path("proteccion-de-datos/personas/<int:pk>/datos.json", PersonalDataExportView.as_view(output="json"),
         name="personaldata_json"),
    path("proteccion-de-datos/personas/<int:pk>/datos.xlsx", PersonalDataExportView.as_view(output="xlsx"),
         name="personaldata_xlsx"),
]
