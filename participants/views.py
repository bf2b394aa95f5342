import mimetypes
from urllib.parse import urlencode

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _, gettext_lazy as _lazy
from django.views import View
from django.views.generic import ListView, TemplateView

from conecta import permissions
from conecta.casefile import tabs_for
from conecta.generic import ServiceFormView
from conecta.models import ProgramSettings
from conecta.mixins import CapabilityRequiredMixin, paginate, querystring_without_page, stash_search, stashed_search
from conecta.services import access_log_record, reference_save
from participants import selectors, services
from participants.forms import (
    CaseForm, CaseOpenForm, CohortForm, ConsentForm, ConsentWithdrawForm, ExceptionForm,
    FamilyMemberForm, ParticipantFilterForm, ParticipantForm, ReceivedDocumentForm, TransitionForm,
)
from participants.models import Case, CaseStatus, Cohort, Consent, FamilyMember, Participant, ReceivedDocument
from participants.services import ACTIONS, DomainError


class ParticipantSearchView(CapabilityRequiredMixin, View):
    """The search forms post here: the text goes into the session and the list's URL
    carries a key to it (conecta.mixins.stash_search); the other filters, which say
    nothing about a person, stay readable in the URL."""

    def post(self, request):
        params = {name: request.POST[name] for name in ("status", "cohort", "category") if request.POST.get(name)}
        query = request.POST.get("q", "").strip()[:200]
        if query:
            params[SEARCH_PARAM] = stash_search(request, query)
        url = reverse("participants:participant_list")
        return redirect(f"{url}?{urlencode(params)}" if params else url)


SEARCH_PARAM = "busqueda"


class ParticipantListView(CapabilityRequiredMixin, TemplateView):
    template_name = "participants/participant_list.html"

    def get(self, request, *args, **kwargs):
        sensitive = permissions.can_see_sensitive(request.user)
        data = request.GET.copy()
        data.pop("q", None)  # only through the search form
        search_key = request.GET.get(SEARCH_PARAM, "")
        query_text = stashed_search(request, search_key)
        if query_text:
            data["q"] = query_text
        form = ParticipantFilterForm(data or None, sensitive=sensitive)
        filters = {}
        if form.is_bound:
            form.is_valid()  # an invalid field shows its error; the valid ones still filter
            filters = form.cleaned_data
        people = selectors.participant_list(
            user=request.user,
            query=filters.get("q", ""),
            status=filters.get("status", ""),
            cohort=filters.get("cohort"),
            category=filters.get("category", ""),
        )
        # A complete RUT that finds one person goes straight to the case file.
        query = filters.get("q", "")
        if query and "-" in query and not request.GET.get("page"):
            matches = list(people[:2])
            if len(matches) == 1:
                return redirect(matches[0])
        page = paginate(request, people)
        status_labels = dict(CaseStatus.choices)
        category_labels = dict(Case.Category.choices)
        for person in page:
            person.current_status_label = status_labels.get(person.current_status, "")
            person.current_category_label = category_labels.get(person.current_category, "")
        return self.render_to_response(self.get_context_data(
            form=form, page=page, search_key=search_key if query_text else "", search_query=query_text,
            querystring=querystring_without_page(request), sensitive=sensitive,
        ))


# Sections the case file itself shows; the others come from app tabs (conecta.casefile).
CORE_SECTIONS = frozenset({
    permissions.SECTION_IDENTITY, permissions.SECTION_CASES, permissions.SECTION_JUSTICE,
    permissions.SECTION_FAMILY, permissions.SECTION_CONSENTS, permissions.SECTION_DOCUMENTS,
})


def _case_file_context(request, person):
    """What the case file shows this user, and which sections were shown."""
    user = request.user
    sections = permissions.visible_sections(user)
    sensitive = permissions.can_see_sensitive(user)
    documents = person.document_list
    if not permissions.can_see_sensitive_documents(user):
        documents = [d for d in documents if not d.is_sensitive]
    cases = person.case_list
    program = ProgramSettings.for_request(request)
    for case in cases:
        case.actions = services.available_actions(case) if permissions.can_manage_cases(user) else []
        case.eligibility = services.case_eligibility(case, program=program) if sensitive else None
    return {
        "person": person,
        "cases": cases,
        "extra_tabs": tabs_for(request=request, person=person, cases=cases, sections=sections),
        "documents": documents,
        "sections": sections,
        "sensitive": sensitive,
        "can_manage_cases": permissions.can_manage_cases(user),
        "can_grant_exception": permissions.can_grant_exception(user),
        "can_reenter": permissions.can_manage_cases(user) and not any(c.is_open for c in cases),
    }


class ParticipantDetailView(CapabilityRequiredMixin, View):
    def get(self, request, pk):
        try:
            person = selectors.participant_case_file(pk=pk)
        except Participant.DoesNotExist:
            raise Http404
        context = _case_file_context(request, person)
        shown = (context["sections"] & CORE_SECTIONS) | {tab["section"] for tab in context["extra_tabs"]}
        access_log_record(user=request.user, subject=person, sections=shown, path=request.path)
        return render(request, "participants/participant_detail.html", context)


class ParticipantHistoryView(CapabilityRequiredMixin, View):
    """Every recorded version of the person's data, with who and when."""

    def get(self, request, pk):
        person = get_object_or_404(Participant, pk=pk)
        sensitive = permissions.can_see_sensitive(request.user)
        entries = selectors.participant_history(person=person, sensitive=sensitive)
        access_log_record(user=request.user, subject=person, sections={permissions.SECTION_HISTORY}, path=request.path)
        return render(request, "participants/participant_history.html", {
            "person": person, "page": paginate(request, entries, per_page=30), "sensitive": sensitive,
        })


class ParticipantCreateView(CapabilityRequiredMixin, View):
    capability = staticmethod(permissions.can_edit_identity)
    template_name = "participants/participant_form.html"

    def get(self, request):
        sensitive = permissions.can_see_sensitive(request.user)
        initial = {"commune": ProgramSettings.for_request(request).commune_id}
        query = stashed_search(request, request.GET.get(SEARCH_PARAM))
        if query:
            initial["rut"] = query
        return render(request, self.template_name, {
            "form": ParticipantForm(sensitive=sensitive, initial=initial),
            "case_form": CaseOpenForm(prefix="case", sensitive=sensitive),
        })

    def post(self, request):
        sensitive = permissions.can_see_sensitive(request.user)
        form = ParticipantForm(request.POST, sensitive=sensitive)
        case_form = CaseOpenForm(request.POST, prefix="case", sensitive=sensitive)
        if form.is_valid() and case_form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k not in ("confirm_homonym", "version")}
            case_data = dict(case_form.cleaned_data)
            try:
                person = services.participant_create(actor=request.user, data=data, application=case_data)
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Persona registrada como postulante."))
                return redirect(person)
        return render(request, self.template_name, {"form": form, "case_form": case_form})


class ParticipantUpdateView(ServiceFormView):
    capability = staticmethod(permissions.can_edit_identity)
    template_name = "participants/participant_form.html"
    form_class = ParticipantForm
    success_message = _lazy("Datos actualizados.")

    def get_object(self):
        return get_object_or_404(Participant, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "sensitive": permissions.can_see_sensitive(self.request.user)}

    def get_context_data(self, **context):
        return super().get_context_data(person=self.object, **context)

    def on_view(self, form):
        # The form shows identity and contact (and, to professionals, education and household).
        log_section(self.request, self.object, permissions.SECTION_IDENTITY)

    def perform(self, form):
        return services.participant_update(participant=form.save(commit=False), actor=self.request.user,
                                           version=form.cleaned_data["version"])


class CaseCreateView(CapabilityRequiredMixin, View):
    """A new application for a known person: their first case or a re-entry."""

    capability = staticmethod(permissions.can_manage_cases)
    template_name = "participants/case_open_form.html"

    def get(self, request, pk):
        person = get_object_or_404(Participant, pk=pk)
        return render(request, self.template_name, {"person": person, "form": CaseOpenForm(sensitive=True)})

    def post(self, request, pk):
        person = get_object_or_404(Participant, pk=pk)
        form = CaseOpenForm(request.POST, sensitive=True)
        if form.is_valid():
            try:
                services.case_open(participant=person, actor=request.user, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Postulación registrada."))
                return redirect(person)
        return render(request, self.template_name, {"person": person, "form": form})


class CaseUpdateView(ServiceFormView):
    capability = staticmethod(permissions.can_manage_cases)
    template_name = "participants/case_form.html"
    form_class = CaseForm
    success_message = _lazy("Caso actualizado.")

    def get_object(self):
        return get_object_or_404(Case.objects.select_related("participant"), pk=self.kwargs["pk"])

    def get_context_data(self, **context):
        return super().get_context_data(case=self.object, **context)

    def on_view(self, form):
        access_log_record(user=self.request.user, subject=self.object.participant, path=self.request.path,
                          sections={permissions.SECTION_CASES, permissions.SECTION_JUSTICE})

    def perform(self, form):
        return services.case_update(case=form.save(commit=False), actor=self.request.user,
                                    version=form.cleaned_data["version"])


class CaseTransitionView(ServiceFormView):
    """A lifecycle move of a case, made from a form that carries the case's version."""

    capability = staticmethod(permissions.can_manage_cases)
    template_name = "participants/case_transition_form.html"
    form_class = TransitionForm
    success_message = _lazy("Estado del caso actualizado.")

    def get_object(self):
        if self.kwargs["action"] not in ACTIONS:
            raise Http404
        self.target, self.label = ACTIONS[self.kwargs["action"]]
        return get_object_or_404(Case.objects.select_related("participant__commune"), pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {"target": self.target, "record": self.object}

    def get_context_data(self, **context):
        eligibility = eligibility_for(self.request, self.object) if action_is_admission(self.target) else None
        return super().get_context_data(case=self.object, label=self.label, eligibility=eligibility, **context)

    def on_view(self, form):
        log_section(self.request, self.object.participant, permissions.SECTION_JUSTICE)

    def perform(self, form):
        return services.case_transition(
            case=self.object, to_status=self.target, actor=self.request.user,
            date=form.cleaned_data["date"], reason=form.cleaned_data["reason"],
            exit_type=form.cleaned_data.get("exit_type", ""), version=form.cleaned_data["version"],
        )


def eligibility_for(request, case):
    return services.case_eligibility(case, program=ProgramSettings.for_request(request))


def action_is_admission(target):
    return target == ACTIONS["admit"][0]


class CaseExceptionView(ServiceFormView):
    capability = staticmethod(permissions.can_grant_exception)
    template_name = "participants/case_exception_form.html"
    form_class = ExceptionForm
    success_message = _lazy("Excepción autorizada. Ya puede registrar el ingreso.")

    def get_object(self):
        return get_object_or_404(Case.objects.select_related("participant__commune"), pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {"record": self.object}

    def get_context_data(self, **context):
        return super().get_context_data(case=self.object, eligibility=eligibility_for(self.request, self.object),
                                        **context)

    def on_view(self, form):
        log_section(self.request, self.object.participant, permissions.SECTION_JUSTICE)

    def perform(self, form):
        return services.case_grant_exception(case=self.object, actor=self.request.user,
                                             reason=form.cleaned_data["reason"], version=form.cleaned_data["version"])


class ParticipantChildFormView(ServiceFormView):
    """Add (/participants/<pk>/…/nuevo/) or edit (/…/<child_pk>/editar/) a record that hangs from a person."""

    model = None
    section = None  # access-log section when an existing record is opened
    template_name = "participants/child_form.html"
    success_message = _lazy("Guardado.")

    def get_object(self):
        child_pk = self.kwargs.get("child_pk")
        if child_pk is not None:
            return get_object_or_404(self.model.objects.select_related("participant"), pk=child_pk)
        return self.model(participant=get_object_or_404(Participant, pk=self.kwargs["pk"]))

    def refresh_object(self, error):
        return self.get_object()

    def child_form_kwargs(self, person):
        return {}

    def get_form_kwargs(self):
        return {"instance": self.object, **self.child_form_kwargs(self.object.participant)}

    def get_context_data(self, **context):
        return super().get_context_data(person=self.object.participant, **context)

    def on_view(self, form):
        if self.object.pk and self.section:
            log_section(self.request, self.object.participant, self.section)

    def get_success_url(self, saved):
        return saved.participant.get_absolute_url()


class FamilyMemberFormView(ParticipantChildFormView):
    capability = staticmethod(permissions.can_see_sensitive)
    form_class = FamilyMemberForm
    model = FamilyMember
    title = _lazy("Familiar")
    section = permissions.SECTION_FAMILY

    def perform(self, form):
        return services.family_member_save(member=form.save(commit=False), actor=self.request.user,
                                           version=form.cleaned_data["version"])


class ConsentCreateView(ParticipantChildFormView):
    capability = staticmethod(permissions.can_see_sensitive)
    form_class = ConsentForm
    model = Consent
    title = _lazy("Registrar consentimiento")

    def get_object(self):
        return Consent(participant=get_object_or_404(Participant, pk=self.kwargs["pk"]))

    def child_form_kwargs(self, person):
        return {"participant": person}

    def perform(self, form):
        return services.consent_record(consent=form.save(commit=False), actor=self.request.user)


class DocumentCreateView(ParticipantChildFormView):
    capability = staticmethod(permissions.can_record_documents)
    form_class = ReceivedDocumentForm
    model = ReceivedDocument
    title = _lazy("Registrar documento recibido")

    def get_object(self):
        return ReceivedDocument(participant=get_object_or_404(Participant, pk=self.kwargs["pk"]))

    def child_form_kwargs(self, person):
        return {"sensitive": permissions.can_see_sensitive_documents(self.request.user)}

    def perform(self, form):
        return services.document_receive(document=form.save(commit=False), actor=self.request.user)


class ConsentWithdrawView(ServiceFormView):
    capability = staticmethod(permissions.can_see_sensitive)
    template_name = "participants/consent_withdraw_form.html"
    form_class = ConsentWithdrawForm
    success_message = _lazy("Retiro del consentimiento registrado.")

    def get_object(self):
        return get_object_or_404(Consent.objects.select_related("participant"), pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {"record": self.object}

    def get_context_data(self, **context):
        return super().get_context_data(consent=self.object, **context)

    def on_view(self, form):
        log_section(self.request, self.object.participant, permissions.SECTION_CONSENTS)

    def perform(self, form):
        data = form.cleaned_data
        return services.consent_withdraw(consent=self.object, actor=self.request.user, date=data["date"],
                                         reason=data["reason"], version=data["version"])

    def get_success_url(self, saved):
        return saved.participant.get_absolute_url()


def log_section(request, person, section):
    access_log_record(user=request.user, subject=person, sections={section}, path=request.path)


def _serve(request, file_field, person, section):
    if not file_field:
        raise Http404
    access_log_record(user=request.user, subject=person, sections={section}, path=request.path)
    content_type = mimetypes.guess_type(file_field.name)[0] or "application/octet-stream"
    return FileResponse(file_field.open("rb"), content_type=content_type,
                        as_attachment=False, filename=file_field.name.rsplit("/", 1)[-1])


class ConsentFileView(CapabilityRequiredMixin, View):
    capability = staticmethod(permissions.can_see_sensitive)

    def get(self, request, pk):
        consent = get_object_or_404(Consent.objects.select_related("participant"), pk=pk)
        return _serve(request, consent.file, consent.participant, permissions.SECTION_CONSENTS)


class DocumentFileView(CapabilityRequiredMixin, View):
    def get(self, request, pk):
        document = get_object_or_404(ReceivedDocument.objects.select_related("participant"), pk=pk)
        if document.is_sensitive and not permissions.can_see_sensitive_documents(request.user):
            raise Http404  # not 403: the receptionist must not learn that such a document exists
        return _serve(request, document.file, document.participant, permissions.SECTION_DOCUMENTS)


class CohortListView(CapabilityRequiredMixin, ListView):
    capability = staticmethod(permissions.can_see_sensitive)
    template_name = "participants/cohort_list.html"
    paginate_by = 25

    def get_queryset(self):
        return selectors.cohort_list()


class CohortFormView(ServiceFormView):
    """New cohort (no pk) or edit of one."""

    capability = staticmethod(permissions.can_manage_program)
    form_class = CohortForm
    template_name = "participants/cohort_form.html"
    success_message = _lazy("Generación guardada.")

    def get_object(self):
        pk = self.kwargs.get("pk")
        return get_object_or_404(Cohort, pk=pk) if pk else Cohort()

    def get_context_data(self, **context):
        return super().get_context_data(**{**context, "object": self.object if self.object.pk else None})

    def perform(self, form):
        return reference_save(instance=form.save(commit=False), actor=self.request.user,
                              reason=_lazy("Generación"), version=form.cleaned_data["version"])

    def get_success_url(self, saved):
        return reverse("participants:cohort_list")

