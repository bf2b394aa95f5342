"""Notices the layout shows above a page's content, contributed by the apps.

The layout knows no app above the foundation: an app registers a function
`notice(context) -> str` (rendered HTML, or "" for nothing) in
AppConfig.ready(), and every page shows what the functions return for its
template context (e.g. participants' banner on any page about a person whose
data may not be processed)."""

_NOTICES = []


def register_notice(func):
    _NOTICES.append(func)
    return func


def notices_for(context):
    return [html for html in (notice(context) for notice in _NOTICES) if html]
