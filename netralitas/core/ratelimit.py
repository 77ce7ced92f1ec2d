"""Fixed-window rate limits per client address, kept in the Django cache.

In production the cache is Redis (REDIS_URL) so that every worker shares the count.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The caller's address, trusting X-Forwarded-For only for configured proxies."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        chain = [
            p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()
        ]
        if len(chain) >= proxies:
            return chain[-proxies]
    return request.META.get("REMOTE_ADDR", "unknown")


def hit(request: HttpRequest, *, scope: str, limit: int, period_seconds: int) -> bool:
    """Count one request; True when the caller is over the limit for this window."""
    if limit <= 0:
        return False
    window = int(time.time() // period_seconds)
    # Hash the address: cache keys may end up in monitoring tools (no PII in logs).
    who = hashlib.sha256(client_address(request).encode()).hexdigest()[:24]
    key = f"rl:{scope}:{who}:{window}"
    if cache.add(key, 1, timeout=period_seconds + 5):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=period_seconds + 5)
        return False
    return count > limit
