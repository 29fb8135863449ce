import hashlib

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

from dashboard import rate_limit


class RateLimitedAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin sign-in, refused after ADMIN_LOGIN_RATE failures from one address, or four
    times that many for one user name from anywhere (guessing spread over many addresses),
    so passwords cannot be guessed at speed. While locked, even a right password is
    refused: the limit is on attempts, not on wrong guesses."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "rate_limited": "Too many failed sign-ins. Try again in %(minutes)d minutes.",
    }
    USER_NAME_FACTOR = 4

    def limits(self) -> list[tuple[str, str]]:
        """(key, rate) for the client address and for the user name tried."""
        limit, period = rate_limit.parse_rate(settings.ADMIN_LOGIN_RATE)
        username = (self.data.get("username") or "").strip().lower()
        user_key = hashlib.sha256(username.encode()).hexdigest()[:32]
        return [
            (f"ip:{rate_limit.client_ip(self.request)}", f"{limit}/{period}s"),
            (f"user:{user_key}", f"{limit * self.USER_NAME_FACTOR}/{period}s"),
        ]

    def clean(self):
        limits = self.limits()
        for key, rate in limits:
            limit, period = rate_limit.parse_rate(rate)
            if rate_limit.count("admin-login", key, rate) >= limit:
                raise ValidationError(
                    self.error_messages["rate_limited"],
                    code="rate_limited",
                    params={"minutes": max(1, -(-period // 60))},
                )
        try:
            return super().clean()
        except ValidationError:
            for key, rate in limits:
                rate_limit.hit("admin-login", key, rate)
            raise
