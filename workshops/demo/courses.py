def seed(*, users, rng, stdout):
    """Demo data of this area (idempotent)."""
