import mimetypes

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _, gettext_lazy as _lazy
from django.views import View
from django.views.generic import CreateView, ListView, TemplateView, UpdateView

from conecta import permissions
from conecta.casefile import tabs_for
from conecta.models import ProgramSettings
from conecta.mixins import CapabilityRequiredMixin, ReferenceFormMixin, paginate, querystring_without_page
from conecta.services import access_log_record
from participants import selectors, services
from participants.forms import (
    BlockForm, CaseForm, CaseOpenForm, CohortForm, ConsentForm, ConsentWithdrawForm, ExceptionForm,
    FamilyMemberForm, ParticipantFilterForm, ParticipantForm, ProcessingAuthorisationForm, ReasonForm,
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


class ParticipantListView(CapabilityRequiredMixin, TemplateView):
    template_name = "participants/participant_list.html"

    def get(self, request, *args, **kwargs):
        sensitive = permissions.can_see_sensitive(request.user)
        form = ParticipantFilterForm(request.GET or None, sensitive=sensitive)
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
            form=form, page=page,
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
        "can_reenter": permissions.can_manage_cases(user) and not restriction and not any(c.is_open for c in cases),
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
    capability = staticmethod(permissions.can_edit_identity)
    template_name = "participants/participant_form.html"

    def get(self, request):
        sensitive = permissions.can_see_sensitive(request.user)
        initial = {"commune": ProgramSettings.for_request(request).commune_id}
        query = request.GET.get("rut", "")
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
            data = {k: v for k, v in form.cleaned_data.items() if k != "confirm_homonym"}
            case_data = dict(case_form.cleaned_data)
            try:
                person = services.participant_create(actor=request.user, data=data, application=case_data)
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Persona registrada como postulante."))
                return redirect(person)
        return render(request, self.template_name, {"form": form, "case_form": case_form})


class ParticipantUpdateView(CapabilityRequiredMixin, View):
    capability = staticmethod(permissions.can_edit_identity)
    template_name = "participants/participant_form.html"

    def get(self, request, pk):
        person = get_object_or_404(visible_people(request), pk=pk)
        refused = refuse_if_restricted(request, person)
        if refused:
            return refused
        form = ParticipantForm(instance=person, sensitive=permissions.can_see_sensitive(request.user))
        return render(request, self.template_name, {"form": form, "person": person})

    def post(self, request, pk):
        person = get_object_or_404(visible_people(request), pk=pk)
        form = ParticipantForm(request.POST, instance=person, sensitive=permissions.can_see_sensitive(request.user))
        if form.is_valid():
            try:
                services.participant_update(participant=form.save(commit=False), actor=request.user)
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Datos actualizados."))
                return redirect(person)
        return render(request, self.template_name, {"form": form, "person": person})


class CaseCreateView(CapabilityRequiredMixin, View):
    """A new application for a known person: their first case or a re-entry."""

    capability = staticmethod(permissions.can_manage_cases)
    template_name = "participants/case_open_form.html"

    def get(self, request, pk):
        person = get_object_or_404(visible_people(request), pk=pk)
        refused = refuse_if_restricted(request, person)
        if refused:
            return refused
        return render(request, self.template_name, {"person": person, "form": CaseOpenForm(sensitive=True)})

    def post(self, request, pk):
        person = get_object_or_404(visible_people(request), pk=pk)
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


class CaseUpdateView(CapabilityRequiredMixin, View):
    capability = staticmethod(permissions.can_manage_cases)
    template_name = "participants/case_form.html"

    def get(self, request, pk):
        case = get_object_or_404(visible_cases(request).select_related("participant"), pk=pk)
        refused = refuse_if_restricted(request, case.participant)
        if refused:
            return refused
        log_section(request, case.participant, permissions.SECTION_JUSTICE)
        return render(request, self.template_name, {"case": case, "form": CaseForm(instance=case)})

    def post(self, request, pk):
        case = get_object_or_404(visible_cases(request).select_related("participant"), pk=pk)
        form = CaseForm(request.POST, instance=case)
        if form.is_valid():
            try:
                services.case_update(case=form.save(commit=False), actor=request.user)
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Caso actualizado."))
                return redirect(case)
        return render(request, self.template_name, {"case": case, "form": form})


class CaseTransitionView(CapabilityRequiredMixin, View):
    capability = staticmethod(permissions.can_manage_cases)
    template_name = "participants/case_transition_form.html"

    def setup_case(self, pk, action):
        if action not in ACTIONS:
            raise Http404
        case = get_object_or_404(visible_cases(self.request).select_related("participant__commune"), pk=pk)
        target, label = ACTIONS[action]
        return case, target, label

    def render_form(self, request, case, target, label, form, consent_required=False):
        eligibility = eligibility_for(request, case) if action_is_admission(target) else None
        purpose = selectors.WIND_DOWN if target in services.WIND_DOWN_TARGETS else selectors.PROCESS
        return render(request, self.template_name, {
            "case": case, "form": form, "label": label, "eligibility": eligibility,
            "restriction": selectors.processing_block(case.participant, purpose=purpose),
            "consent_required": consent_required,
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
            except ConsentRequired as error:
                form.add_error(None, str(error))
                return self.render_form(request, case, target, label, form, consent_required=True)
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
        case = get_object_or_404(visible_cases(request).select_related("participant__commune"), pk=pk)
        log_section(request, case.participant, permissions.SECTION_JUSTICE)
        return render(request, self.template_name, {
            "case": case, "form": ExceptionForm(),
            "eligibility": eligibility_for(request, case),
        })

    def post(self, request, pk):
        case = get_object_or_404(visible_cases(request).select_related("participant__commune"), pk=pk)
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
    purpose = selectors.PROCESS  # what saving it does to the person's data (processing_block)
    template_name = "participants/child_form.html"

    def get_form_kwargs(self, person):
        return {}

    def get_objects(self, pk=None, child_pk=None):
        if child_pk is not None:
            instance = get_object_or_404(self.model.objects.select_related("participant")
                                         .filter(visible_filter(self.request.user, "participant")), pk=child_pk)
            return instance.participant, instance
        person = get_object_or_404(visible_people(self.request), pk=pk)
        return person, self.model(participant=person)

    def get(self, request, pk=None, child_pk=None):
        person, instance = self.get_objects(pk, child_pk)
        refused = refuse_if_restricted(request, person, purpose=self.purpose)
        if refused:
            return refused
        if instance.pk and self.section:
            log_section(request, person, self.section)
        form = self.form_class(instance=instance, **self.get_form_kwargs(person))
        return self.render(request, person, form)

    def post(self, request, pk=None, child_pk=None):
        person, instance = self.get_objects(pk, child_pk)
        form = self.form_class(request.POST, request.FILES, instance=instance, **self.get_form_kwargs(person))
        if form.is_valid():
            try:
                self.save(form.save(commit=False), request.user)
            except DomainError as error:
                form.add_error(None, str(error))
            else:
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
    purpose = selectors.CONSENT

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
        consent = get_object_or_404(_visible_consents(request), pk=pk)
        log_section(request, consent.participant, permissions.SECTION_CONSENTS)
        return render(request, self.template_name, {"consent": consent, "form": ConsentWithdrawForm()})

    def post(self, request, pk):
        consent = get_object_or_404(_visible_consents(request), pk=pk)
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
