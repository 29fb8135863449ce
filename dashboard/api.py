from django.db.models import Max
from django.http import JsonResponse
from django.views.decorators.http import require_safe

from dashboard import generation, selectors
from initiatives.models import Initiative, Participation


def _run(run):
    if run is None:
        return None
    return {
        "scope": run.scope,
        "started_at": run.started_at.isoformat(),
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "duration_ms": run.duration_ms,
        "rows_written": run.rows_written,
        "by_worker": not run.eager,
        "error": run.error or None,
    }


@require_safe
def status(request):
    """The state of the data: what is loaded, and when the views were last refreshed."""
    failure = selectors.last_failure()
    success = selectors.last_refresh()
    return JsonResponse(
        {
            "dataset": {
                "initiatives": Initiative.objects.count(),
                "participations": Participation.objects.count(),
                "latest_fact": (Participation.objects.aggregate(latest=Max("joined_on"))["latest"]),
            },
            "snapshot_generation": generation.current(),
            "last_refresh": _run(success),
            "last_failed_refresh": _run(failure)
            if failure and (success is None or failure.started_at > success.started_at)
            else None,
        }
    )
