"""One generic view for every form page backed by a service.

A page declares its form, its capability, its template and a `perform(form)`
that calls the service; loading, validation, turning a `DomainError` into a
form error, the stale-save refusal and the redirect live here once.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views import View

from conecta.concurrency import StaleEditError, rebase
from conecta.errors import DomainError
from conecta.mixins import CapabilityRequiredMixin


class ServiceFormView(CapabilityRequiredMixin, View):
    form_class = None
    template_name = "includes/form_page.html"
    success_message = ""
    title = ""
    refusal_field = None  # where a refusal that names no field of the form is shown (None: above the form)

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = None

    # Hooks a page overrides -------------------------------------------------
    def get_object(self):
        """The record being edited (404 when the user may not see it), or None to create."""
        return None

    def get_form_kwargs(self):
        return {"instance": self.object} if self.object is not None else {}

    def perform(self, form):
        """Call the service; return the saved object."""
        raise NotImplementedError

    def get_success_url(self, saved):
        return saved.get_absolute_url()

    def get_success_message(self, saved):
        return self.success_message

    def get_context_data(self, **context):
        context.setdefault("object", self.object)
        context.setdefault("title", self.title)
        return context

    def on_view(self, form):
        """A GET of the page, e.g. to write the access log."""

    # The skeleton ----------------------------------------------------------
    def dispatch(self, request, *args, **kwargs):
        if not self.capability(request.user):
            return super().dispatch(request, *args, **kwargs)  # the mixin refuses
        self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, data=None, files=None):
        return self.form_class(data, files, **self.get_form_kwargs()) if data is not None \
            else self.form_class(**self.get_form_kwargs())

    def render_page(self, form, **context):
        return render(self.request, self.template_name, self.get_context_data(form=form, **context))

    def get(self, request, *args, **kwargs):
        form = self.get_form()
        self.on_view(form)
        return self.render_page(form)

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST, request.FILES)
        if form.is_valid():
            try:
                saved = self.perform(form)
            except StaleEditError as error:
                return self.render_stale(form, error)
            except DomainError as error:
                # A refusal that names a field of this form (AgendaError, AssessmentError) goes next to it.
                field = getattr(error, "field", None)
                form.add_error(field if field in form.fields else self.refusal_field, str(error))
            else:
                message = self.get_success_message(saved)
                if message:
                    messages.success(request, message)
                return redirect(self.get_success_url(saved))
        return self.render_page(form)

    def rebase(self, form, error):
        """(rebased data, changes) of a refused stale form; pages whose form is not one
        record's fields (an attendance sheet) override it."""
        return rebase(form, error)

    def render_stale(self, form, error):
        """Show what changed in between, with the person's input rebased on the stored row."""
        self.object = self.refresh_object(error)
        data, changes = self.rebase(form, error)
        rebased = self.get_form(data, self.request.FILES)
        rebased.is_valid()
        return self.render_page(rebased, stale=self.get_stale_context(error, changes))

    def get_stale_context(self, error, changes):
        return stale_context(error, changes)

    def refresh_object(self, error):
        """The page's object as stored now (the form is rebuilt around it)."""
        return self.get_object() if self.object is not None else None


def stale_context(error, changes):
    """What `includes/stale_notice.html` shows."""
    return {"message": str(error), "changes": changes, "by": error.last_change(),
            "conflicts": any(change.get("conflict") for change in changes)}
