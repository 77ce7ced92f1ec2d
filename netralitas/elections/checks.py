"""System check: the packaged neutrality guide must load, so that a broken edit of
data/guidance.yaml fails ``netralitas check`` at deploy time, not the public page later."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register

from netralitas.elections.config import ConfigError
from netralitas.elections.guidance import load_guidance


@register()
def guidance_file_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    try:
        load_guidance()
    except ConfigError as exc:
        return [Error(str(exc), id="elections.E001")]
    return []
