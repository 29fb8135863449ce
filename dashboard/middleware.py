from django.conf import settings
from django.http import HttpResponseNotModified
from django.utils.cache import patch_vary_headers


class ContentSecurityPolicyMiddleware:
    """Sends the Content-Security-Policy header: only our own scripts, styles and data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class ApiConditionalGetMiddleware:
    """ETag and Last-Modified for the API, from the data version: 304 without running the view.

    Every answer of the API is a function of the curated data, the snapshot and the code,
    so one version row (one query) validates any cached answer a client holds.
    """

    PREFIX = "/api/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or not request.path.startswith(self.PREFIX):
            return self.get_response(request)
        from django.utils.http import http_date, parse_http_date_safe, quote_etag

        from dashboard import versioning

        version = versioning.current()
        etag = quote_etag(
            f"v{settings.ATLAS_VERSION}-d{version.data_version}-s{version.snapshot_version}"
        )
        stamps = [t for t in (version.data_changed_at, version.snapshot_refreshed_at) if t]
        last_modified = int(max(stamps).timestamp()) if stamps else None

        if_none_match = request.headers.get("If-None-Match")
        since = parse_http_date_safe(request.headers.get("If-Modified-Since") or "")
        fresh = (
            if_none_match is not None and etag in {t.strip() for t in if_none_match.split(",")}
        ) or (
            if_none_match is None
            and since is not None
            and last_modified is not None
            and last_modified <= since
        )
        if fresh:
            response = HttpResponseNotModified()
        else:
            response = self.get_response(request)
            if response.status_code != 200:
                return response
        response.headers["ETag"] = etag
        if last_modified is not None:
            response.headers["Last-Modified"] = http_date(last_modified)
        response.headers["Cache-Control"] = "public, max-age=0, must-revalidate"
        patch_vary_headers(response, ["Accept"])
        return response
