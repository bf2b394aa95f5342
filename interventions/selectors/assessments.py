"""Reads of instruments and assessments, each at a fixed number of queries."""

from django.db.models import Count, Prefetch

from interventions.models import (
    Answer, Assessment, Cutoff, DomainResult, Instrument, InstrumentDomain, Item, ItemOption,
)
from participants.models import Case
from participants.querysets import visible_filter


def instrument_list(*, status=""):
    queryset = Instrument.objects.annotate(
        domain_count=Count("domains", distinct=True),
        assessment_count=Count("assessments", distinct=True),
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("name", "-version", "pk")


def active_instruments():
    return Instrument.objects.filter(status=Instrument.Status.ACTIVE).order_by("area", "name")


def _structure_prefetch(prefix=""):
    """Domains → items → options, and each domain's cut-offs, as `domain_list`, `item_list`, `option_list`, `cutoff_list`."""
    options = Prefetch("options", queryset=ItemOption.objects.order_by("order", "pk"), to_attr="option_list")
    items = Prefetch("items", queryset=Item.objects.order_by("order", "pk").prefetch_related(options),
                     to_attr="item_list")
    cutoffs = Prefetch("cutoffs", queryset=Cutoff.objects.order_by("min_score"), to_attr="cutoff_list")
    return Prefetch(f"{prefix}domains", queryset=InstrumentDomain.objects.order_by("order", "pk").prefetch_related(items, cutoffs),
                    to_attr="domain_list")


def instrument_detail(*, pk):
    """The instrument with its structure and total cut-offs (`total_cutoffs`) prefetched."""
    return (
        Instrument.objects.annotate(assessment_count=Count("assessments"))
        .prefetch_related(
            _structure_prefetch(),
            Prefetch("cutoffs", queryset=Cutoff.objects.filter(domain__isnull=True).order_by("min_score"),
                     to_attr="total_cutoffs"),
        )
        .get(pk=pk)
    )


def instrument_versions(*, instrument):
    return Instrument.objects.filter(code=instrument.code).annotate(assessment_count=Count("assessments")).order_by("-version")


def _results_prefetch():
    return Prefetch("domain_results", queryset=DomainResult.objects.select_related("domain").order_by("domain__order", "pk"),
                    to_attr="result_list")


def _answers_prefetch():
    return Prefetch("answers", queryset=Answer.objects.select_related("option"), to_attr="answer_list")


def assessment_detail(*, pk):
    """An assessment with its case, person, instrument structure, answers and results."""
    return (
        Assessment.objects.select_related("case__participant", "instrument", "professional")
        .prefetch_related(_structure_prefetch("instrument__"), _answers_prefetch(), _results_prefetch())
        .get(pk=pk)
    )


def assessment_answers(assessment):
    """{item_pk: Answer} of a prefetched assessment."""
    return {answer.item_id: answer for answer in assessment.answer_list}


def answer_rows(assessment):
    """[(domain, [(item, answer or None)])] in the instrument's order, every item of every domain,
    open answers included: what a page or a report shows of the answers an assessment holds."""
    answers = assessment_answers(assessment)
    return [(domain, [(item, answers.get(item.pk)) for item in domain.item_list])
            for domain in assessment.instrument.domain_list]


def with_answers(queryset):
    """Assessments with what `answer_rows` reads prefetched (structure and answers), for reports."""
    return queryset.prefetch_related(_structure_prefetch("instrument__"), _answers_prefetch())


def case_assessments(*, cases):
    """Assessments of the given cases, newest first, with what the case-file tab shows."""
    return (
        Assessment.objects.filter(case__in=cases)
        .select_related("instrument", "professional")
        .order_by("-applied_on", "-pk")
    )


def comparable_assessments(*, assessment):
    """Other completed applications of the same instrument code to the same case (any version)."""
    return (
        Assessment.objects.filter(case_id=assessment.case_id, instrument__code=assessment.instrument.code,
                                  status=Assessment.Status.COMPLETED)
        .exclude(pk=assessment.pk)
        .select_related("instrument")
        .order_by("applied_on", "pk")
    )


def assessment_comparison(*, first, second):
    """Rows [(domain name, first result, second result, change)] matched by domain code.

    Matching by code (not by row) lets an intake on version 1 be compared with
    an exit on version 2 of the same instrument."""
    by_code_second = {r.domain.code: r for r in second.result_list}
    rows = []
    seen = set()
    for result in first.result_list:
        other = by_code_second.get(result.domain.code)
        seen.add(result.domain.code)
        rows.append({"name": result.domain.name, "first": result, "second": other,
                     "change": (other.score - result.score) if other else None})
    for result in second.result_list:
        if result.domain.code not in seen:
            rows.append({"name": result.domain.name, "first": None, "second": result, "change": None})
    return rows


def diagnosis_report(*, case_pk):
    """A case with its person and its completed assessments (results and answers) for the diagnosis report."""
    completed = with_answers(
        Assessment.objects.filter(status=Assessment.Status.COMPLETED)
        .select_related("instrument", "professional")
        .prefetch_related(_results_prefetch())
        .order_by("applied_on", "pk")
    )
    case = (
        Case.objects.select_related(
            "participant__commune", "cohort", "referral_source", "supervising_institution",
            "psychologist", "social_worker", "occupational_therapist",
        )
        .prefetch_related(Prefetch("assessments", queryset=completed, to_attr="completed_assessments"))
        .get(pk=case_pk)
    )
    # The report carries every answer, open ones too (a section without scores has no result row).
    for assessment in case.completed_assessments:
        assessment.answer_rows = answer_rows(assessment)
    return case


def draft_assessments_of(*, user):
    """Drafts a professional left unfinished (home panel)."""
    return (
        Assessment.objects.filter(visible_filter(user, "case__participant"), professional=user,
                                  status=Assessment.Status.DRAFT)
        .select_related("instrument", "case__participant")
        .order_by("applied_on", "pk")
    )
