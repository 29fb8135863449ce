from dashboard import selectors


def last_refresh(request):
    """The time of the last successful snapshot refresh, for the page footer (one query)."""
    return {"last_refresh": selectors.last_refresh()}
