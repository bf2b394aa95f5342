"""The project's URLs plus one view that fails, for the server-error tests."""

from django.urls import path

from conecta.urls import handler500, urlpatterns as project_urlpatterns  # noqa: F401  (handler500 is used by Django)


def boom(request):
    raise RuntimeError("simulated failure")


urlpatterns = [path("boom/", boom), *project_urlpatterns]
