"""Error reports (the ADMINS e-mail) never carry what people typed."""

from django.views.debug import SafeExceptionReporterFilter


class NoFormDataReporterFilter(SafeExceptionReporterFilter):
    """Error reports (the ADMINS e-mail) leave out form contents and local
    variables: both may hold a person's data."""

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return {key: self.cleansed_substitute for key in request.POST}

    def get_traceback_frame_variables(self, request, tb_frame):
        return []

    def get_safe_request_meta(self, request):
        meta = super().get_safe_request_meta(request)
        # The query string can hold search text; cookies hold the session.
        for key in ("QUERY_STRING", "HTTP_COOKIE"):
            if key in meta:
                meta[key] = self.cleansed_substitute
        return meta

    def get_safe_cookies(self, request):
        return {key: self.cleansed_substitute for key in getattr(request, "COOKIES", {})}
