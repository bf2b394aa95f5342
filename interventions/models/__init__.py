"""Casework models, one module per area (see HOUSE_STYLE: a package when it grows)."""

from interventions.models.base import Area, Modality  # noqa: F401
from interventions.models.instruments import (  # noqa: F401
    Answer, Assessment, Cutoff, DomainResult, Instrument, InstrumentDomain, Item, ItemOption, Level,
)
from interventions.models.plans import Plan, PlanAction, PlanObjective, PlanReview, PlanSection  # noqa: F401
from interventions.models.sessions import Session  # noqa: F401
from interventions.models.agenda import Appointment  # noqa: F401
from interventions.models.referrals import Referral, ReferralEvent  # noqa: F401
