"""Role lists and status helpers shared by the access matrix and the apps' matrix modules."""

from conecta import permissions as p

ANON = "anonymous"
ROLES = [p.MANAGER, p.PSYCHOLOGIST, p.SOCIAL_WORKER, p.OCCUPATIONAL_THERAPIST, p.FOLLOWUP_PSYCHOLOGIST, p.RECEPTIONIST]
PROFESSIONALS = [p.MANAGER, p.PSYCHOLOGIST, p.SOCIAL_WORKER, p.OCCUPATIONAL_THERAPIST, p.FOLLOWUP_PSYCHOLOGIST]


def everyone(status=200):
    return {role: status for role in ROLES}


def only(roles, status=200, others=403):
    return {role: (status if role in roles else others) for role in ROLES}


def extension_modules(prefix):
    """Modules `<app>.tests.<prefix>*` of the apps above the foundation.

    Each app keeps its own access-matrix rows and query-count pages next to
    its tests, and the cross-app tests collect them here."""
    import importlib
    import pkgutil

    modules = []
    for app in ("interventions", "workshops", "dataprotection", "placements", "followup"):
        try:
            package = importlib.import_module(f"{app}.tests")
        except ModuleNotFoundError:
            continue
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
            if info.name.startswith(prefix):
                modules.append(importlib.import_module(f"{app}.tests.{info.name}"))
    return modules
