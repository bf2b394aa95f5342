"""Demo data of group work and training, called by `seed_demo`."""

import importlib
import random

AREAS = ["workshops", "courses"]


def seed(*, users, seed, stdout):
    for area in AREAS:
        module = importlib.import_module(f"workshops.demo.{area}")
        module.seed(users=users, rng=random.Random(f"{seed}-{area}"), stdout=stdout)
