"""The answer to an access request: everything held on a person, from every app's registered
sections (conecta/personal_data.py), with origin, purposes, recipients and retention.

One build, three renderings: a PDF for the person (templates/dataprotection/pdf/access.html)
and machine-readable JSON and XLSX (one sheet per section) for access and portability."""

import datetime
import io
import json
import re
from dataclasses import dataclass, field

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import gettext as _

from conecta import permissions
from conecta import rut as rut_utils
from conecta.personal_data import collect, recipients_of
from dataprotection.personal_data import origin_of
from dataprotection.selectors.privacy import privacy_notice_current

# A section prints as a table when it is this narrow and its texts this short; else one block per row.
TABLE_MAX_COLUMNS = 7
TABLE_MAX_TEXT = 120
EMPTY = "—"


@dataclass
class ExportSection:
    key: str
    title: str
    rows: list
    log_sections: tuple
    columns: list = field(default_factory=list)

    def __post_init__(self):
        for row in self.rows:
            for column in row:
                if column not in self.columns:
                    self.columns.append(column)

    @property
    def as_table(self):
        return len(self.columns) <= TABLE_MAX_COLUMNS and not any(
            isinstance(value, str) and len(value) > TABLE_MAX_TEXT for row in self.rows for value in row.values())

    @property
    def compact(self):
        return len(self.columns) > 5

    @property
    def table_rows(self):
        """[[text]] for a PDF table; a first-column value repeated from the row above is shown once."""
        rows, previous = [], None
        for row in self.rows:
            cells = [display(row.get(column)) for column in self.columns]
            first = cells[0]
            if first == previous:
                cells[0] = ""
            previous = first
            rows.append(cells)
        return rows

    @property
    def record_rows(self):
        """[[(column, text)]] for PDF blocks, leaving out empty fields (JSON and XLSX keep every column)."""
        return [[(column, text) for column in self.columns if (text := display(row.get(column))) != EMPTY]
                for row in self.rows]


def display(value):
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return _("Sí") if value else _("No")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d-%m-%Y %H:%M") if timezone.is_aware(value) \
            else value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d-%m-%Y")
    return str(value)


def personal_data_export(*, person, rights_request=None):
    notice = privacy_notice_current()
    sections = [ExportSection(key=section.key, title=str(section.title), rows=rows,
                              log_sections=section.log_sections)
                for section, rows in collect(person, for_person=True)]
    return {
        "person": person,
        "rights_request": rights_request,
        "generated_at": timezone.now(),
        "notice": notice,
        "origin": origin_of(person),
        "recipients": recipients_of(person),
        "sections": sections,
    }


def logged_sections(export):
    """The access-log sections the export reveals (identity always: it names the person)."""
    shown = {permissions.SECTION_IDENTITY}
    for section in export["sections"]:
        shown.update(section.log_sections)
    return shown


def _information(export):
    notice = export["notice"]
    texts = {name: getattr(notice, name) if notice else "" for name in
             ("controller", "contact", "purposes", "legal_bases", "recipients", "retention", "rights")}
    return {
        "responsable": texts["controller"],
        "contacto": texts["contact"],
        "origen_de_los_datos": export["origin"],
        "finalidades": texts["purposes"],
        "bases_legales": texts["legal_bases"],
        "destinatarios_de_sus_datos": [
            {"nombre": r.name, "motivo": r.reason, "desde": r.since} for r in export["recipients"]],
        "destinatarios_en_general": texts["recipients"],
        "plazo_de_conservacion": texts["retention"],
        "sus_derechos": texts["rights"],
        "aviso_de_privacidad": (f"{notice.version} ({notice.published_on:%d-%m-%Y})" if notice else ""),
    }


def _json_value(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).isoformat()
    return value


def to_json(export):
    person = export["person"]
    rights_request = export["rights_request"]
    document = {
        "generado": timezone.localtime(export["generated_at"]).isoformat(),
        "persona": {"nombre": person.full_name, "rut": rut_utils.display(person.rut)},
        "solicitud": ({"numero": rights_request.pk, "derecho": rights_request.get_kind_display(),
                       "recibida": rights_request.received_on} if rights_request else None),
        "informacion": _information(export),
        "secciones": {
            section.key: {"titulo": section.title,
                          "filas": [{column: _json_value(value) for column, value in row.items()}
                                    for row in section.rows]}
            for section in export["sections"]
        },
    }
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode("utf-8")


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_title(title, taken):
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique in the book."""
    base = _SHEET_FORBIDDEN.sub(" ", str(title)).strip()[:31]
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" {n}"
        name = base[:31 - len(suffix)] + suffix
        n += 1
    taken.add(name.lower())
    return name


def _cell(value):
    if isinstance(value, bool):
        return _("Sí") if value else _("No")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if value is None:
        return ""
    return value


def to_xlsx(export):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    info = book.active
    taken = set()
    info.title = sheet_title(_("Información"), taken)
    person = export["person"]
    bold = Font(bold=True)
    info.append([_("Persona"), f"{person.full_name} ({rut_utils.display(person.rut)})"])
    info.append([_("Generado"), timezone.localtime(export["generated_at"]).replace(tzinfo=None)])
    for key, value in _information(export).items():
        if isinstance(value, list):
            value = "\n".join(
                item if isinstance(item, str) else f"{item['nombre']}: {item['motivo']}" for item in value)
        info.append([key.replace("_", " ").capitalize(), value])
    for row in info.iter_rows():
        row[0].font = bold
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    info.column_dimensions["A"].width = 28
    info.column_dimensions["B"].width = 100

    for section in export["sections"]:
        sheet = book.create_sheet(sheet_title(section.title, taken))
        if not section.rows:
            sheet.append([_("Sin datos registrados.")])
            continue
        sheet.append(section.columns)
        for cell in sheet[1]:
            cell.font = bold
        for row in section.rows:
            sheet.append([_cell(row.get(column)) for column in section.columns])
        for column_cells in sheet.iter_cols(min_row=2):
            for cell in column_cells:
                if isinstance(cell.value, datetime.datetime):
                    cell.number_format = "DD-MM-YYYY HH:MM"
                elif isinstance(cell.value, datetime.date):
                    cell.number_format = "DD-MM-YYYY"
        sheet.freeze_panes = "A2"
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
