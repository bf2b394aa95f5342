"""The Spanish catalogue is complete, compiled, and covers every string in the code."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"
SOURCES = ["conecta", "participants", "interventions", "workshops", "dataprotection", "placements", "followup", "templates", "manage.py"]


def msgids(po_text):
    entries = re.findall(r'^msgid ((?:".*"\n)+)', po_text, flags=re.M)
    ids = set()
    for entry in entries:
        text = "".join(re.findall(r'"(.*)"', entry))
        if text:
            ids.add(text)
    return ids


def test_catalogue_has_no_untranslated_or_fuzzy_entries():
    result = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(PO)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr
    assert (PO.parent / "django.mo").exists()


def test_catalogue_covers_every_string_in_the_code(tmp_path):
    base = Path(settings.BASE_DIR)
    for name in SOURCES:
        source = base / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "*.po"))
        else:
            shutil.copy(source, tmp_path / name)
    (tmp_path / "locale").mkdir()
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "es", "--no-location"],
        cwd=tmp_path, capture_output=True, text=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_DEBUG": "1", "PYTHONPATH": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    extracted = msgids((tmp_path / "locale" / "es" / "LC_MESSAGES" / "django.po").read_text())
    assert len(extracted) > 300, "makemessages found too few strings: the copy of the sources is incomplete"
    missing = extracted - msgids(PO.read_text())
    assert not missing, f"Run `make messages-update`; missing from the es catalogue: {sorted(missing)[:10]}"


def test_spanish_entries_are_the_source_strings_themselves():
    """Source strings are Spanish: a different msgstr means a merge guessed wrong."""
    text = PO.read_text()
    wrong = []
    for block in text.split("\n\n")[1:]:
        msgid = _joined(block, r'^msgid ((?:".*"\n?)+)')
        msgstr = _joined(block, r'^msgstr(?:\[0\])? ((?:".*"\n?)+)')
        if msgid and msgid != msgstr:
            wrong.append((msgid, msgstr))
    assert not wrong, wrong[:5]


def _joined(block, pattern):
    captured = "".join(re.findall(pattern, block, flags=re.M))
    return "".join(re.findall(r'"(.*)"', captured))
