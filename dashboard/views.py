from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from actors.models import Actor
from initiatives import selectors
from initiatives.models import Initiative


@require_safe
def home(request):
    return render(request, "dashboard/home.html", {"initiatives": selectors.initiative_list()})


@require_safe
def initiative_detail(request, slug):
    try:
        initiative = selectors.initiative_detail(slug)
    except Initiative.DoesNotExist:
        raise Http404("No initiative with that slug.") from None
    return render(request, "dashboard/initiative.html", {"initiative": initiative})


@require_safe
def actor_detail(request, slug):
    try:
        actor = selectors.actor_detail(slug)
    except Actor.DoesNotExist:
        raise Http404("No actor with that slug.") from None
    return render(request, "dashboard/actor.html", {"actor": actor})


@require_safe
def about(request):
    return render(request, "dashboard/about.html")
