import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified, JsonResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe, quote_etag

from dashboard import generation, rate_limit, versioning
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

    Every public answer is a function of the curated data, the snapshot and the code. An
    answer is cached with the cache epoch it was rendered under (dashboard/generation.py)
    and its version tag; a curated change or a refresh rotates the epoch once it commits,
    so every older entry stops being served at once. A repeated view costs one cache read
    and no query; a conditional request whose ETag is current gets 304. Anonymous API
    clients are throttled before any of that. Curators (with a session) and the admin
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

        key = self.cache_key(request)
        epoch, found, version = generation.read([key])
        entry = found.get(key)
        if entry is not None and entry[0] == epoch:
            _, tag, last_modified, content, content_type = entry
            if self.fresh(request, quote_etag(tag), last_modified):
                response = HttpResponseNotModified()
            else:
                response = HttpResponse(content, content_type=content_type)
                response["X-Atlas-Cache"] = "hit"
        else:
            version = version or versioning.current()
            tag, last_modified = versioning.tag(version), versioning.last_modified(version)
            if self.fresh(request, quote_etag(tag), last_modified):
                response = HttpResponseNotModified()
            else:
                response = self.get_response(request)
                if not self.cacheable(response):
                    return response
                entry = (epoch, tag, last_modified, response.content, response["Content-Type"])
                cache.set(key, entry, self.CACHE_SECONDS)
                response["X-Atlas-Cache"] = "miss"
        response.headers["ETag"] = quote_etag(tag)
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
    def cache_key(request) -> str:
        # The day is part of the key: pages say "today" (the map's last step, open bars).
        parts = [
            settings.ATLAS_VERSION,
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
