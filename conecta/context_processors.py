from conecta import permissions
from conecta.models import ProgramSettings


def program(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"program": _program_name_only()}
    return {
        "program": ProgramSettings.load(),
        "user_roles": [(code, permissions.ROLES[code]) for code in permissions.user_roles(user)],
        "perms_conecta": {
            "manager": permissions.is_manager(user),
            "sensitive": permissions.can_see_sensitive(user),
            "manage_cases": permissions.can_manage_cases(user),
        },
    }


def _program_name_only():
    # The login page shows the program's name without touching user data.
    return ProgramSettings.load()
