"""Demo data of casework, called by `seed_demo` after people and cases exist."""

import importlib
import random

AREAS = ["referrals", "assessments", "plans", "agenda", "sessions"]


def seed(*, users, seed, stdout):
    for area in AREAS:
        module = importlib.import_module(f"interventions.demo.{area}")
        module.seed(users=users, rng=random.Random(f"{seed}-{area}"), stdout=stdout)
