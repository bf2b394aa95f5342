"""After a refused save the page leads with a summary of the errors (includes/error_summary.html,
which takes the focus). Every template that posts a form with fields has one, or uses the
shared form page that does; the exceptions say why."""

from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# One or two fields whose message crispy already shows at the top of the form.
EXEMPT = {
    "registration/login.html", "registration/otp_verify.html", "registration/mfa_setup.html",
    "interventions/instrument_confirm.html",  # a confirmation button, no fields
}


def test_every_posted_form_leads_with_an_error_summary():
    missing = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = str(path.relative_to(TEMPLATES))
        text = path.read_text()
        posts_fields = 'method="post"' in text and ("{% crispy" in text or "|crispy" in text)
        if posts_fields and name not in EXEMPT and "error_summary" not in text and "form_page.html" not in text:
            missing.append(name)
    assert not missing, f"forms without an error summary: {missing}"
