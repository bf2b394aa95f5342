"""Printed documents: HTML templates under templates/<app>/pdf/ rendered by WeasyPrint.

Every document extends templates/pdf/base.html, which carries the program's
name and commune, the title, the date of issue and page numbers. The style
sheet is inlined, so rendering never fetches anything over the network."""

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from conecta.models import ProgramSettings


def pdf_bytes(*, template, context, request=None):
    from weasyprint import HTML

    program = ProgramSettings.for_request(request) if request is not None else ProgramSettings.load()
    full_context = {"program": program, "issued_at": timezone.localtime(), "issued_by": getattr(request, "user", None),
                    **context}
    html = render_to_string(template, full_context, request=request)
    return HTML(string=html, base_url=None).write_pdf()


def pdf_response(*, request, template, context, filename):
    """An inline PDF; `no-store` keeps case data out of shared browser caches."""
    response = HttpResponse(pdf_bytes(template=template, context=context, request=request),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{slugify(filename) or "documento"}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
