"""The public self-check page: thin, the service decides."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from netralitas.core.evidence import evidence_spans, highlighted_text
from netralitas.core.ratelimit import hit
from netralitas.selfcheck.forms import SelfCheckForm
from netralitas.selfcheck.services import SelfCheckError, self_check


@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "public/self_check.html", {"form": SelfCheckForm()})
    form = SelfCheckForm(request.POST)
    if not form.is_valid():
        return render(request, "public/self_check.html", {"form": form}, status=400)
    limit = settings.SELF_CHECK_RATE_LIMIT_PER_MINUTE
    if hit(request, scope="self-check", limit=limit, period_seconds=60):
        return render(request, "public/rate_limited.html", status=429)
    text = form.cleaned_data["text"].strip()  # as the service checks it: offsets match
    try:
        result = self_check(text=text, share=form.cleaned_data["share"])
    except SelfCheckError as exc:
        form.add_error(exc.field, exc.message)
        return render(request, "public/self_check.html", {"form": form}, status=400)
    context = {
        "form": form,
        "result": result,
        "text_html": highlighted_text(text, result.evidence),
        "evidence": [
            {"text": text[s:e], "why": w} for s, e, w in evidence_spans(text, result.evidence)
        ],
    }
    return render(request, "public/self_check.html", context)
