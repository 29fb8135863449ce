from django.conf import settings
from django.core.checks import Error, register

from dashboard.rate_limit import parse_rate


@register()
def rate_settings(app_configs, **kwargs):
    """A malformed rate stops the server at start, not at the first API request."""
    errors = []
    for name in ("API_ANON_RATE", "ADMIN_LOGIN_RATE"):
        try:
            parse_rate(getattr(settings, name))
        except ValueError as exc:
            errors.append(Error(str(exc), hint=f"Set {name} like '300/minute'.", id="atlas.E001"))
    return errors
