"""Static files: every page names a favicon that exists, and collectstatic with the production
(manifest) storage resolves every file the stylesheets and the layout refer to."""

import json

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse


@pytest.mark.django_db
def test_every_page_names_a_favicon_that_exists(client):
    body = client.get(reverse("login")).content.decode()
    for name in ("favicon.svg", "favicon.ico"):
        assert f'/static/{name}"' in body
        assert finders.find(name), name


def test_collectstatic_with_the_manifest_storage(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        # Production adds whitenoise compression on top; the manifest is what resolves names.
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}
    call_command("collectstatic", interactive=False, verbosity=0)
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    for name in ("favicon.svg", "favicon.ico", "css/conecta.css", "js/layout.js", "js/tabs.js"):
        assert name in manifest and (tmp_path / manifest[name]).exists(), name
