"""Fixtures of the browser journeys; the standing users are in the root conftest.py."""

import importlib
import os

import pytest

from tests.browser import CHROMIUM


@pytest.fixture
def reference_data(transactional_db):
    """Transactional tests flush the tables between tests: reload communes, the program row and
    the first privacy notice (data migrations)."""
    from django.apps import apps

    importlib.import_module("conecta.migrations.0002_load_communes").load(apps, None)
    importlib.import_module("dataprotection.migrations.0002_default_privacy_notice").create_first_version(apps, None)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert os.path.exists(CHROMIUM), f"Chromium not found at {CHROMIUM}: apt-get install -y chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                  "--disable-gpu", "--no-first-run"],
        )
        yield browser
        browser.close()
