from django.urls import reverse

from conecta import permissions
from conecta.navigation import current_url, footer_links, nav_for, page_includes_for
from conecta.models import ProgramSettings


def program(request):
    # The login page shows the program's name too, so it is loaded for everyone.
    context = {"program": ProgramSettings.for_request(request), "footer_links": footer_links()}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["user_roles"] = [(code, permissions.ROLES[code]) for code in permissions.user_roles(user)]
        context["perms_conecta"] = {
            "manager": permissions.is_manager(user),
            "sensitive": permissions.can_see_sensitive(user),
            "manage_cases": permissions.can_manage_cases(user),
            "appointment_purpose": permissions.can_read_appointment_purpose(user),
        }
        context["app_nav"] = nav_for(user)
        # The layout's own entries (people, cohorts, the manager's «Programa» menu) and the apps' ones.
        menu_urls = [reverse(name) for name in ("participants:participant_list", "participants:cohort_list",
                                                "program_settings", "user_list", "accesslog_list")]
        menu_urls += [url for _group, entries in context["app_nav"] for _label, url in entries]
        context["nav_current"] = current_url(request.path, menu_urls)
        context["page_includes"] = page_includes_for(user)
    return context
