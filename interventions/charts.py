"""Server-side SVG charts of assessment results (no JavaScript, printable by WeasyPrint).

Each chart is an accessible image: a <title> and a <desc> that reads the whole
result in words, and every bar carries its score and level as text, so the
colour is never the only cue."""

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

LEVEL_COLOURS = {
    "low": "#2e7d32",
    "moderate": "#b8860b",
    "high": "#d9480f",
    "very_high": "#b02a37",
}
NO_LEVEL_COLOUR = "#5c6f7c"
FONT = 'font-family="DejaVu Sans, Arial, sans-serif"'

LABEL_WIDTH = 250
BAR_WIDTH = 280
# Wide enough for the longest result text ("18 de 18 · Precontemplación") at 12 px.
VALUE_WIDTH = 200
WIDTH = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
ROW = 28
TOP = 10


def _short(text, limit=38):
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _value_text(result):
    text = _("%(score)s de %(max)s") % {"score": result.score, "max": result.max_score}
    return f"{text} · {result.label}" if result.label else text


def _bar_width(result):
    if not result.max_score:
        return 0
    return round(BAR_WIDTH * max(result.score, 0) / result.max_score)


def _open_svg(height, chart_id, title, description):
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="assessment-chart" role="img" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" aria-labelledby="{chart_id}-t {chart_id}-d">'
        f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{escape(description)}</desc>'
    )


def domain_profile_svg(results, *, chart_id, title):
    """Horizontal bars, one per domain: length = score / maximum, colour = level, text = score and level."""
    results = list(results)
    description = "; ".join(f"{r.domain.name}: {_value_text(r)}" for r in results) or _("Sin resultados por dominio.")
    height = TOP * 2 + ROW * max(len(results), 1)
    parts = [_open_svg(height, chart_id, title, description)]
    # Grid lines at a quarter, half and three quarters of each domain's maximum.
    for fraction in (0, .25, .5, .75, 1):
        x = LABEL_WIDTH + round(BAR_WIDTH * fraction)
        parts.append(f'<line x1="{x}" y1="{TOP - 4}" x2="{x}" y2="{height - TOP + 4}" stroke="#ced4da" stroke-width="1"/>')
    for index, result in enumerate(results):
        y = TOP + index * ROW
        colour = LEVEL_COLOURS.get(result.level, NO_LEVEL_COLOUR)
        parts.append(
            f'<g><title>{escape(result.domain.name)}: {escape(_value_text(result))}</title>'
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 18}" text-anchor="end" font-size="12" {FONT} fill="#212529">'
            f'{escape(_short(result.domain.name))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 5}" width="{BAR_WIDTH}" height="18" fill="#f1f3f5"/>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 5}" width="{_bar_width(result)}" height="18" fill="{colour}"/>'
            f'<text x="{LABEL_WIDTH + BAR_WIDTH + 8}" y="{y + 18}" font-size="12" {FONT} fill="#212529">'
            f'{escape(_value_text(result))}</text></g>'
        )
    if not results:
        parts.append(f'<text x="{LABEL_WIDTH}" y="{TOP + 18}" font-size="12" {FONT} fill="#495057">'
                     f'{escape(description)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def comparison_svg(rows, *, chart_id, title, first_label, second_label):
    """Two bars per domain: the earlier application hatched and outlined, the later one solid.

    `rows` come from selectors.assessment_comparison: {name, first, second, change}."""
    rows = list(rows)
    words = []
    for row in rows:
        first = _value_text(row["first"]) if row["first"] else _("sin dato")
        second = _value_text(row["second"]) if row["second"] else _("sin dato")
        words.append(f'{row["name"]}: {first_label} {first}; {second_label} {second}')
    description = ". ".join(words) or _("Sin resultados por dominio.")
    legend_height = 30
    row_height = 44
    height = legend_height + TOP + row_height * max(len(rows), 1)
    pattern = f"{chart_id}-hatch"
    # The second legend entry starts after the first one's text (about 7 px per character at 12 px).
    second_x = LABEL_WIDTH + 22 + 7 * len(first_label) + 24
    parts = [
        _open_svg(height, chart_id, title, description),
        f'<defs><pattern id="{pattern}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#495057" stroke-width="3"/>'
        f"</pattern></defs>",
        # Legend: the pattern and the words say which bar is which.
        f'<rect x="{LABEL_WIDTH}" y="6" width="16" height="12" fill="url(#{pattern})" stroke="#212529"/>'
        f'<text x="{LABEL_WIDTH + 22}" y="16" font-size="12" {FONT} fill="#212529">{escape(first_label)}</text>'
        f'<rect x="{second_x}" y="6" width="16" height="12" fill="#0b4f6c"/>'
        f'<text x="{second_x + 22}" y="16" font-size="12" {FONT} fill="#212529">{escape(second_label)}</text>',
    ]
    for index, row in enumerate(rows):
        y = legend_height + TOP + index * row_height
        parts.append(f'<g><title>{escape(words[index])}</title>'
                     f'<text x="{LABEL_WIDTH - 8}" y="{y + 22}" text-anchor="end" font-size="12" {FONT} fill="#212529">'
                     f'{escape(_short(row["name"]))}</text>')
        for offset, key in ((0, "first"), (18, "second")):
            result = row[key]
            parts.append(f'<rect x="{LABEL_WIDTH}" y="{y + offset + 2}" width="{BAR_WIDTH}" height="15" fill="#f1f3f5"/>')
            if result is not None:
                if key == "first":
                    fill = f'fill="url(#{pattern})" stroke="{LEVEL_COLOURS.get(result.level, NO_LEVEL_COLOUR)}" stroke-width="2"'
                else:
                    fill = f'fill="{LEVEL_COLOURS.get(result.level, NO_LEVEL_COLOUR)}"'
                parts.append(f'<rect x="{LABEL_WIDTH}" y="{y + offset + 2}" width="{_bar_width(result)}" height="15" {fill}/>')
            value = _value_text(result) if result is not None else _("sin dato")
            parts.append(f'<text x="{LABEL_WIDTH + BAR_WIDTH + 8}" y="{y + offset + 14}" font-size="11" {FONT} '
                         f'fill="#212529">{escape(value)}</text>')
        parts.append("</g>")
    parts.append("</svg>")
    return mark_safe("".join(parts))
