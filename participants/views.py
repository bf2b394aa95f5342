import datetime
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
    BlockForm, CaseForm, CaseOpenForm, CohortForm, ConsentForm, ConsentWithdrawForm, ExceptionForm,
    FamilyMemberForm, IntakeAdmissionForm, ParticipantFilterForm, ParticipantForm, ProcessingAuthorisationForm, ReasonForm,
    ReceivedDocumentForm, TransitionForm,
)
from participants.models import Case, CaseStatus, Cohort, Consent, FamilyMember, Participant, ReceivedDocument
from participants.querysets import visible_filter
from participants.services import ACTIONS, ConsentRequired, DomainError


def visible_people(request):
    return Participant.objects.visible_to(request.user)


def visible_cases(request):
    return Case.objects.visible_to(request.user)


def refuse_if_restricted(request, person, *, purpose=selectors.PROCESS):
    """The refusal page (403) when `purpose` may not go ahead on the person's data, else None.

    For GET pages that would only lead to a refused save, and for documents
    (PDFs) of the person; writes are refused again by the services."""
    restriction = selectors.processing_block(person, purpose=purpose)
    if restriction is None:
        return None
    return render(request, "participants/processing_refused.html",
                  {"person": person, "restriction": restriction}, status=403)


class RestrictedPersonMixin:
    """A form page whose GET answers with the refusal page when the person's data may not be
    processed now (the service refuses the save anyway)."""

    purpose = selectors.PROCESS  # what saving does to the person's data (selectors.processing_block)

    def restricted_person(self):
        return self.object.participant

    def get(self, request, *args, **kwargs):
        refused = refuse_if_restricted(request, self.restricted_person(), purpose=self.purpose)
        return refused or super().get(request, *args, **kwargs)


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
        case.actions = [(code, label) for code, label in case.actions
                        if selectors.processing_block(person, purpose=_purpose_of(code)) is None]
        case.eligibility = services.case_eligibility(case, program=program) if sensitive else None
    restriction = selectors.processing_block(person)
    return {
        "person": person,
        "restriction": restriction,
        "has_active_consent": selectors.has_active_consent(person),
        "can_manage_data_protection": permissions.can_manage_data_protection(user),
        "cases": cases,
        "extra_tabs": tabs_for(request=request, person=person, cases=cases, sections=sections),
        "documents": documents,
        "sections": sections,
        "sensitive": sensitive,
        "can_manage_cases": permissions.can_manage_cases(user) and not restriction,
        "can_grant_exception": permissions.can_grant_exception(user),
        "can_reenter": permissions.can_manage_cases(user) and not restriction and not any(c.is_unfinished for c in cases),
        "unfinished_case": next((c for c in cases if c.is_unfinished), None),
    }


def _purpose_of(action):
    return selectors.WIND_DOWN if ACTIONS[action][0] in services.WIND_DOWN_TARGETS else selectors.PROCESS


class ParticipantDetailView(CapabilityRequiredMixin, View):
    def get(self, request, pk):
        try:
            person = selectors.participant_case_file(pk=pk, user=request.user)
        except Participant.DoesNotExist:
            raise Http404
        context = _case_file_context(request, person)
        shown = (context["sections"] & CORE_SECTIONS) | {tab["section"] for tab in context["extra_tabs"]}
        access_log_record(user=request.user, subject=person, sections=shown, path=request.path)
        return render(request, "participants/participant_detail.html", context)


class ParticipantHistoryView(CapabilityRequiredMixin, View):
    """Every recorded version of the person's data, with who and when."""

    def get(self, request, pk):
        person = get_object_or_404(visible_people(request), pk=pk)
        sensitive = permissions.can_see_sensitive(request.user)
        entries = selectors.participant_history(person=person, sensitive=sensitive)
        access_log_record(user=request.user, subject=person, sections={permissions.SECTION_HISTORY}, path=request.path)
        return render(request, "participants/participant_history.html", {
            "person": person, "page": paginate(request, entries, per_page=30), "sensitive": sensitive,
        })


class ParticipantCreateView(CapabilityRequiredMixin, View):
    """The intake: the person, their application and, for professionals, the eligibility, the
    signed consent and the admission to diagnosis, in one page and one transaction."""

    capability = staticmethod(permissions.can_edit_identity)
    template_name = "participants/participant_form.html"

    def forms(self, request, data=None):
        sensitive = permissions.can_see_sensitive(request.user)
        initial = {"commune": ProgramSettings.for_request(request).commune_id}
        query = stashed_search(request, request.GET.get(SEARCH_PARAM))
        if query:
            initial["rut"] = query
        form = ParticipantForm(data, sensitive=sensitive, initial=initial)
        case_form = CaseOpenForm(data, prefix="case", sensitive=sensitive)
        admission_form = IntakeAdmissionForm(data, prefix="ingreso") if permissions.can_manage_cases(request.user) \
            else None
        return form, case_form, admission_form

    def render_page(self, request, form, case_form, admission_form):
        return render(request, self.template_name,
                      {"form": form, "case_form": case_form, "admission_form": admission_form})

    def get(self, request):
        return self.render_page(request, *self.forms(request))

    def post(self, request):
        form, case_form, admission_form = self.forms(request, request.POST)
        valid = [f.is_valid() for f in (form, case_form, admission_form) if f is not None]
        if all(valid):
            data = {k: v for k, v in form.cleaned_data.items() if k not in ("confirm_homonym", "version")}
            admission = admission_form.cleaned_data if admission_form is not None else {}
            try:
                case = services.participant_intake(
                    actor=request.user, data=data, application=dict(case_form.cleaned_data),
                    consent_signed_on=admission.get("consent_signed_on"),
                    consent_version=admission.get("consent_version", ""),
                    admit_on=datetime.date.today() if admission.get("admit") else None,
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                if case.status == CaseStatus.DIAGNOSIS:
                    messages.success(request, _("Persona registrada e ingresada a diagnóstico."))
                else:
                    messages.success(request, _("Persona registrada como postulante."))
                return redirect(case.participant)
        return self.render_page(request, form, case_form, admission_form)


class ParticipantUpdateView(RestrictedPersonMixin, ServiceFormView):
    capability = staticmethod(permissions.can_edit_identity)
    template_name = "participants/participant_form.html"
    form_class = ParticipantForm
    success_message = _lazy("Datos actualizados.")

    def get_object(self):
        return get_object_or_404(visible_people(self.request), pk=self.kwargs["pk"])

    def restricted_person(self):
        return self.object

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
    """A new application for a known person: their first case or a re-entry, which starts from
    the last episode's eligibility and asks what changed. Refused while an episode is unfinished."""

    capability = staticmethod(permissions.can_manage_cases)
    template_name = "participants/case_open_form.html"

    def render_page(self, request, person, form):
        return render(request, self.template_name, {
            "person": person, "form": form, "previous": form.previous if form else None,
            "refusal": services.reentry_refusal(person),
        })

    def make_form(self, person, data=None):
        previous = person.cases.select_related("referral_source", "supervising_institution").order_by("-number").first()
        form = CaseOpenForm(data, sensitive=True, previous=previous)
        form.previous = previous
        return form

    def get(self, request, pk):
        person = get_object_or_404(visible_people(request), pk=pk)
        refused = refuse_if_restricted(request, person)
        if refused:
            return refused
        return self.render_page(request, person, self.make_form(person))

    def post(self, request, pk):
        person = get_object_or_404(visible_people(request), pk=pk)
        form = self.make_form(person, request.POST)
        if form.is_valid():
            try:
                services.case_open(participant=person, actor=request.user, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Reingreso registrado.") if form.previous else _("Postulación registrada."))
                return redirect(person)
        return self.render_page(request, person, form)


class CaseUpdateView(RestrictedPersonMixin, ServiceFormView):
    capability = staticmethod(permissions.can_manage_cases)
    template_name = "participants/case_form.html"
    form_class = CaseForm
    success_message = _lazy("Caso actualizado.")

    def get_object(self):
        return get_object_or_404(visible_cases(self.request).select_related("participant"), pk=self.kwargs["pk"])

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
        case = get_object_or_404(visible_cases(self.request).select_related("participant__commune"),
                                 pk=self.kwargs["pk"])
        # Say before the first try that the admission will need the consent, not only after it.
        self.consent_required = self.target in services.CONSENT_TARGETS and services.admission_lacks_consent(
            case.participant, on=datetime.date.today())
        return case

    def get_form_kwargs(self):
        return {"target": self.target, "record": self.object}

    def get_context_data(self, **context):
        eligibility = eligibility_for(self.request, self.object) if action_is_admission(self.target) else None
        purpose = selectors.WIND_DOWN if self.target in services.WIND_DOWN_TARGETS else selectors.PROCESS
        return super().get_context_data(
            case=self.object, label=self.label, eligibility=eligibility,
            restriction=selectors.processing_block(self.object.participant, purpose=purpose),
            consent_required=self.consent_required, starts_intervention=self.target == CaseStatus.INTERVENTION,
            **context)

    def on_view(self, form):
        log_section(self.request, self.object.participant, permissions.SECTION_JUSTICE)

    def perform(self, form):
        try:
            return services.case_transition(
                case=self.object, to_status=self.target, actor=self.request.user,
                date=form.cleaned_data["date"], reason=form.cleaned_data["reason"],
                exit_type=form.cleaned_data.get("exit_type", ""), version=form.cleaned_data["version"],
            )
        except ConsentRequired:
            self.consent_required = True  # the page offers to record the consent
            raise


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
        return get_object_or_404(visible_cases(self.request).select_related("participant__commune"),
                                 pk=self.kwargs["pk"])

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


class ParticipantChildFormView(RestrictedPersonMixin, ServiceFormView):
    """Add (/participants/<pk>/…/nuevo/) or edit (/…/<child_pk>/editar/) a record that hangs from a person."""

    model = None
    section = None  # access-log section when an existing record is opened
    template_name = "participants/child_form.html"
    success_message = _lazy("Guardado.")

    def get_object(self):
        child_pk = self.kwargs.get("child_pk")
        if child_pk is not None:
            return get_object_or_404(self.model.objects.select_related("participant")
                                     .filter(visible_filter(self.request.user, "participant")), pk=child_pk)
        return self.model(participant=get_object_or_404(visible_people(self.request), pk=self.kwargs["pk"]))

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
    purpose = selectors.CONSENT

    def get_object(self):
        return Consent(participant=get_object_or_404(visible_people(self.request), pk=self.kwargs["pk"]))

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
        return ReceivedDocument(participant=get_object_or_404(visible_people(self.request), pk=self.kwargs["pk"]))

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
        return get_object_or_404(_visible_consents(self.request), pk=self.kwargs["pk"])

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


def _visible_consents(request):
    return Consent.objects.select_related("participant").filter(visible_filter(request.user, "participant"))


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
        consent = get_object_or_404(_visible_consents(request), pk=pk)
        return _serve(request, consent.file, consent.participant, permissions.SECTION_CONSENTS)


class DocumentFileView(CapabilityRequiredMixin, View):
    def get(self, request, pk):
        document = get_object_or_404(ReceivedDocument.objects.select_related("participant")
                                     .filter(visible_filter(request.user, "participant")), pk=pk)
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

class DataProtectionFormView(CapabilityRequiredMixin, View):
    """A manager's data-protection action on one person: a form, a service, back to the case file."""

    capability = staticmethod(permissions.can_manage_data_protection)
    template_name = "participants/data_protection_form.html"
    form_class = ReasonForm
    title = ""
    intro = ""
    submit_label = _lazy("Guardar")
    success_message = ""

    def initial(self, request, person):
        return {}

    def not_applicable(self, person):
        """A message when the action makes no sense for the person now (the form is not shown)."""
        return None

    def save(self, person, data, actor):
        raise NotImplementedError

    def render_page(self, request, person, form):
        return render(request, self.template_name, {
            "person": person, "form": form, "title": self.title, "intro": self.intro,
            "submit_label": self.submit_label, "not_applicable": self.not_applicable(person),
            "cancel_url": person.get_absolute_url(), **self.extra_context(request),
        })

    def extra_context(self, request):
        return {}

    def get(self, request, pk):
        person = get_object_or_404(visible_people(request).select_related("blocked_by", "processing_authorised_by"),
                                   pk=pk)
        return self.render_page(request, person, self.form_class(initial=self.initial(request, person)))

    def post(self, request, pk):
        person = get_object_or_404(visible_people(request), pk=pk)
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                self.save(person, form.cleaned_data, request.user)
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, self.success_message)
                return redirect(person)
        return self.render_page(request, person, form)


class ParticipantBlockView(DataProtectionFormView):
    """Block a person's data. `?solicitud=<id>` (a rights request) is only carried into the reason."""

    form_class = BlockForm
    title = _lazy("Bloquear el tratamiento de datos")
    intro = _lazy("Mientras dure el bloqueo, los datos de la persona solo se pueden consultar: nadie puede "
                  "modificarlos ni registrar atenciones, y la persona no aparece en listas, búsquedas ni "
                  "documentos, salvo para la gestora.")
    submit_label = _lazy("Bloquear")
    success_message = _lazy("Datos bloqueados.")

    def request_id(self, request):
        from conecta.mixins import id_param

        return id_param(request.GET.get("solicitud"))

    def extra_context(self, request):
        return {"request_id": self.request_id(request)}

    def initial(self, request, person):
        initial = {}
        request_id = self.request_id(request)
        if request_id is not None:
            initial["reason"] = _("Solicitud de bloqueo N.º %(id)s.") % {"id": request_id}
        return initial

    def not_applicable(self, person):
        if person.blocked_on is not None:
            return _("Los datos de esta persona ya están bloqueados desde el %(date)s.") % {
                "date": person.blocked_on.strftime("%d-%m-%Y")}
        return None

    def save(self, person, data, actor):
        services.participant_block(participant=person, actor=actor, reason=data["reason"], on=data["on"])


class ParticipantUnblockView(DataProtectionFormView):
    title = _lazy("Levantar el bloqueo")
    intro = _lazy("Los datos vuelven a poder tratarse y la persona reaparece en listas y búsquedas.")
    submit_label = _lazy("Levantar el bloqueo")
    success_message = _lazy("Bloqueo levantado.")

    def not_applicable(self, person):
        return None if person.blocked_on else _("Los datos de esta persona no están bloqueados.")

    def save(self, person, data, actor):
        services.participant_unblock(participant=person, actor=actor, reason=data["reason"])


class ProcessingAuthoriseView(DataProtectionFormView):
    form_class = ProcessingAuthorisationForm
    title = _lazy("Autorizar el tratamiento sin consentimiento")
    intro = _lazy("Use esta autorización solo cuando una ley u obligación legal exige seguir tratando los datos "
                  "aunque la persona no haya firmado o haya retirado su consentimiento. Queda registrada con su "
                  "nombre y se muestra en la ficha; puede revocarla en cualquier momento.")
    submit_label = _lazy("Autorizar")
    success_message = _lazy("Tratamiento autorizado.")

    def not_applicable(self, person):
        if person.blocked_on is not None:
            return _("Los datos están bloqueados: levante el bloqueo antes de autorizar su tratamiento.")
        if person.processing_basis:
            return _("Ya hay una autorización vigente: %(basis)s.") % {"basis": person.get_processing_basis_display()}
        return None

    def save(self, person, data, actor):
        services.processing_authorise(participant=person, actor=actor, basis=data["basis"], detail=data["detail"])


class ProcessingRevokeView(DataProtectionFormView):
    title = _lazy("Revocar la autorización de tratamiento")
    intro = _lazy("Sin autorización, si la persona retiró su consentimiento vuelve a quedar suspendido el "
                  "tratamiento de sus datos.")
    submit_label = _lazy("Revocar")
    success_message = _lazy("Autorización revocada.")

    def not_applicable(self, person):
        return None if person.processing_basis else _("No hay una autorización de tratamiento vigente.")

    def save(self, person, data, actor):
        services.processing_revoke(participant=person, actor=actor, reason=data["reason"])
