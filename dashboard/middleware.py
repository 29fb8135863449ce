import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified, JsonResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe, quote_etag

from dashboard import rate_limit
from dashboard.rate_limit import client_ip


class ContentSecurityPolicyMiddleware:
    """Sends the Content-Security-Policy header: only our own scripts, styles and data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class PublicResponseMiddleware:
    """Versioned caching of the public site and API.

    Every public answer is a function of the curated data, the snapshot and the code, so
    one version row (one query) lets us: answer a client's conditional request with 304;
    serve a rendered page or JSON body from the cache, keyed by that version (a curated
    change or a refresh makes every older entry unreachable at once); and throttle
    anonymous API clients before any of that. Curators (with a session) and the admin
    always get fresh, uncached responses.
    """

    SKIP_PREFIXES = ("/admin/", "/static/")
    CACHE_SECONDS = 24 * 3600

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method not in ("GET", "HEAD")
            or request.path.startswith(self.SKIP_PREFIXES)
            or settings.SESSION_COOKIE_NAME in request.COOKIES
        ):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            refused = self.throttle(request)
            if refused is not None:
                return refused

        from dashboard import versioning

        version = versioning.current()
        tag = f"v{settings.ATLAS_VERSION}-d{version.data_version}-s{version.snapshot_version}"
        etag = quote_etag(tag)
        stamps = [t for t in (version.data_changed_at, version.snapshot_refreshed_at) if t]
        last_modified = int(max(stamps).timestamp()) if stamps else None

        if self.fresh(request, etag, last_modified):
            response = HttpResponseNotModified()
        else:
            key = self.cache_key(request, tag)
            hit = cache.get(key)
            if hit is not None:
                content, content_type = hit
                response = HttpResponse(content, content_type=content_type)
                response["X-Atlas-Cache"] = "hit"
            else:
                response = self.get_response(request)
                if not self.cacheable(response):
                    return response
                cache.set(key, (response.content, response["Content-Type"]), self.CACHE_SECONDS)
                response["X-Atlas-Cache"] = "miss"
        response.headers["ETag"] = etag
        if last_modified is not None:
            response.headers["Last-Modified"] = http_date(last_modified)
        response.headers["Cache-Control"] = "public, max-age=0, must-revalidate"
        patch_vary_headers(response, ["Accept"])
        return response

    @staticmethod
    def fresh(request, etag, last_modified) -> bool:
        if_none_match = request.headers.get("If-None-Match")
        if if_none_match is not None:
            return etag in {t.strip() for t in if_none_match.split(",")} or if_none_match == "*"
        since = parse_http_date_safe(request.headers.get("If-Modified-Since") or "")
        return since is not None and last_modified is not None and last_modified <= since

    @staticmethod
    def cache_key(request, tag: str) -> str:
        # The day is part of the key: pages say "today" (the map's last step, open bars).
        parts = [
            tag,
            str(timezone.localdate()),
            request.get_full_path(),
            request.headers.get("Accept", ""),
        ]
        return "atlas:response:" + hashlib.sha256("\0".join(parts).encode()).hexdigest()

    @staticmethod
    def cacheable(response) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "Cookie" not in response.get("Vary", "")
        )

    @staticmethod
    def throttle(request):
        allowed, retry_after = rate_limit.hit("api", client_ip(request), settings.API_ANON_RATE)
        if allowed:
            return None
        response = JsonResponse({"detail": "Request was throttled; retry later."}, status=429)
        response["Retry-After"] = str(retry_after)
        return response
