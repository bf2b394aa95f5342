from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.translation import gettext_lazy as _lazy
from django.views import View

from conecta import permissions
from conecta.generic import ServiceFormView
from conecta.mixins import CapabilityRequiredMixin, paginate, querystring_without_page
from dataprotection.forms.breaches import BreachFilterForm, BreachForm
from dataprotection.models import SecurityBreach
from dataprotection.selectors import breaches as selectors
from dataprotection.services import breaches as services


class BreachMixin:
    capability = staticmethod(permissions.can_manage_breaches)


class BreachListView(BreachMixin, CapabilityRequiredMixin, View):
    def get(self, request):
        form = BreachFilterForm(request.GET or None)
        filters = {}
        if form.is_bound:
            form.is_valid()
            filters = form.cleaned_data
        page = paginate(request, selectors.breach_list(status=filters.get("status", "")))
        return render(request, "dataprotection/breach_list.html", {
            "form": form, "page": page, "querystring": querystring_without_page(request)})


class BreachDetailView(BreachMixin, CapabilityRequiredMixin, View):
    def get(self, request, pk):
        try:
            breach = selectors.breach_detail(pk=pk)
        except SecurityBreach.DoesNotExist:
            raise Http404
        return render(request, "dataprotection/breach_detail.html", {"breach": breach})


class BreachCreateView(BreachMixin, ServiceFormView):
    form_class = BreachForm
    template_name = "dataprotection/breach_form.html"
    title = _lazy("Registrar un incidente de seguridad")
    success_message = _lazy("Incidente registrado.")

    def perform(self, form):
        return services.breach_record(breach=form.save(commit=False), actor=self.request.user)


class BreachUpdateView(BreachMixin, ServiceFormView):
    form_class = BreachForm
    template_name = "dataprotection/breach_form.html"
    title = _lazy("Actualizar el incidente")
    success_message = _lazy("Incidente actualizado.")

    def get_object(self):
        return get_object_or_404(SecurityBreach, pk=self.kwargs["pk"])

    def perform(self, form):
        return services.breach_update(breach=form.save(commit=False), actor=self.request.user,
                                      version=form.cleaned_data["version"])


urlpatterns = [
    path("proteccion-de-datos/incidentes/", BreachListView.as_view(), name="breach_list"),
    path("proteccion-de-datos/incidentes/nuevo/", BreachCreateView.as_view(), name="breach_create"),
    path("proteccion-de-datos/incidentes/<int:pk>/", BreachDetailView.as_view(), name="breach_detail"),
    path("proteccion-de-datos/incidentes/<int:pk>/editar/", BreachUpdateView.as_view(), name="breach_update"),
]
