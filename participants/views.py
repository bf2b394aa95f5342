import mimetypes
from urllib.parse import urlencode

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _, gettext_lazy as _lazy
from django.views import View
from django.views.generic import CreateView, ListView, TemplateView, UpdateView

from conecta import permissions
from conecta.casefile import tabs_for
from conecta.generic import ServiceFormView
from conecta.models import ProgramSettings
from conecta.mixins import (
    CapabilityRequiredMixin, ReferenceFormMixin, paginate, querystring_without_page, stash_search, stashed_search,
)
from conecta.services import access_log_record
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
        log_section(self.request, self.object.participant, permissions.SECTION_JUSTICE)

    def perform(self, form):
        return services.case_update(case=form.save(commit=False), actor=self.request.user,
                                    version=form.cleaned_data["version"])


class CaseTransitionView(CapabilityRequiredMixin, View):
    capability = staticmethod(permissions.can_manage_cases)
    template_name = "participants/case_transition_form.html"

    def setup_case(self, pk, action):
        if action not in ACTIONS:
            raise Http404
        case = get_object_or_404(Case.objects.select_related("participant__commune"), pk=pk)
        target, label = ACTIONS[action]
        return case, target, label

    def render_form(self, request, case, target, label, form):
        eligibility = eligibility_for(request, case) if action_is_admission(target) else None
        return render(request, self.template_name, {
            "case": case, "form": form, "label": label, "eligibility": eligibility,
        })

    def get(self, request, pk, action):
        case, target, label = self.setup_case(pk, action)
        log_section(request, case.participant, permissions.SECTION_JUSTICE)
        return self.render_form(request, case, target, label, TransitionForm(target=target))

    def post(self, request, pk, action):
        case, target, label = self.setup_case(pk, action)
        form = TransitionForm(request.POST, target=target)
        if form.is_valid():
            try:
                services.case_transition(
                    case=case, to_status=target, actor=request.user,
                    date=form.cleaned_data["date"], reason=form.cleaned_data["reason"],
                    exit_type=form.cleaned_data.get("exit_type", ""),
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Estado del caso actualizado."))
                return redirect(case)
        return self.render_form(request, case, target, label, form)


def eligibility_for(request, case):
    return services.case_eligibility(case, program=ProgramSettings.for_request(request))


def action_is_admission(target):
    return target == ACTIONS["admit"][0]


class CaseExceptionView(CapabilityRequiredMixin, View):
    capability = staticmethod(permissions.can_grant_exception)
    template_name = "participants/case_exception_form.html"

    def get(self, request, pk):
        case = get_object_or_404(Case.objects.select_related("participant__commune"), pk=pk)
        log_section(request, case.participant, permissions.SECTION_JUSTICE)
        return render(request, self.template_name, {
            "case": case, "form": ExceptionForm(),
            "eligibility": eligibility_for(request, case),
        })

    def post(self, request, pk):
        case = get_object_or_404(Case.objects.select_related("participant__commune"), pk=pk)
        form = ExceptionForm(request.POST)
        if form.is_valid():
            try:
                services.case_grant_exception(case=case, actor=request.user, reason=form.cleaned_data["reason"])
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Excepción autorizada. Ya puede registrar el ingreso."))
                return redirect(case)
        return render(request, self.template_name, {
            "case": case, "form": form,
            "eligibility": eligibility_for(request, case),
        })


class ParticipantChildFormView(CapabilityRequiredMixin, View):
    """Add or edit a record that hangs from a person (family, consent, document)."""

    form_class = None
    model = None
    title = ""
    section = None  # access-log section when an existing record is opened
    template_name = "participants/child_form.html"

    def get_form_kwargs(self, person):
        return {}

    def get_objects(self, pk=None, child_pk=None):
        if child_pk is not None:
            instance = get_object_or_404(self.model.objects.select_related("participant"), pk=child_pk)
            return instance.participant, instance
        person = get_object_or_404(Participant, pk=pk)
        return person, self.model(participant=person)

    def get(self, request, pk=None, child_pk=None):
        person, instance = self.get_objects(pk, child_pk)
        if instance.pk and self.section:
            log_section(request, person, self.section)
        form = self.form_class(instance=instance, **self.get_form_kwargs(person))
        return self.render(request, person, form)

    def post(self, request, pk=None, child_pk=None):
        person, instance = self.get_objects(pk, child_pk)
        form = self.form_class(request.POST, request.FILES, instance=instance, **self.get_form_kwargs(person))
        if form.is_valid():
            self.save(form.save(commit=False), request.user)
            messages.success(request, _("Guardado."))
            return redirect(person)
        return self.render(request, person, form)

    def render(self, request, person, form):
        return render(request, self.template_name, {"person": person, "form": form, "title": self.title})


class FamilyMemberFormView(ParticipantChildFormView):
    capability = staticmethod(permissions.can_see_sensitive)
    form_class = FamilyMemberForm
    model = FamilyMember
    title = _lazy("Familiar")
    section = permissions.SECTION_FAMILY

    def save(self, instance, actor):
        services.family_member_save(member=instance, actor=actor)


class ConsentCreateView(ParticipantChildFormView):
    capability = staticmethod(permissions.can_see_sensitive)
    form_class = ConsentForm
    model = Consent
    title = _lazy("Registrar consentimiento")

    def get_form_kwargs(self, person):
        return {"participant": person}

    def save(self, instance, actor):
        services.consent_record(consent=instance, actor=actor)


class DocumentCreateView(ParticipantChildFormView):
    capability = staticmethod(permissions.can_record_documents)
    form_class = ReceivedDocumentForm
    model = ReceivedDocument
    title = _lazy("Registrar documento recibido")

    def get_form_kwargs(self, person):
        return {"sensitive": permissions.can_see_sensitive_documents(self.request.user)}

    def save(self, instance, actor):
        services.document_receive(document=instance, actor=actor)


class ConsentWithdrawView(CapabilityRequiredMixin, View):
    capability = staticmethod(permissions.can_see_sensitive)
    template_name = "participants/consent_withdraw_form.html"

    def get(self, request, pk):
        consent = get_object_or_404(Consent.objects.select_related("participant"), pk=pk)
        log_section(request, consent.participant, permissions.SECTION_CONSENTS)
        return render(request, self.template_name, {"consent": consent, "form": ConsentWithdrawForm()})

    def post(self, request, pk):
        consent = get_object_or_404(Consent.objects.select_related("participant"), pk=pk)
        form = ConsentWithdrawForm(request.POST)
        if form.is_valid():
            try:
                services.consent_withdraw(consent=consent, actor=request.user, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Retiro del consentimiento registrado."))
                return redirect(consent.participant)
        return render(request, self.template_name, {"consent": consent, "form": form})


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


class CohortFormMixin(ReferenceFormMixin):
    capability = staticmethod(permissions.can_manage_program)
    model = Cohort
    form_class = CohortForm
    template_name = "participants/cohort_form.html"
    success_url = reverse_lazy("participants:cohort_list")
    change_reason = _lazy("Generación")
    success_message = _lazy("Generación guardada.")


class CohortCreateView(CohortFormMixin, CreateView):
    pass


class CohortUpdateView(CohortFormMixin, UpdateView):
    pass
