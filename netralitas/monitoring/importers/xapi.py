"""X (Twitter) API v2 responses: search or timeline, ``data`` plus ``includes.users``.

A file is one response, a JSON array of responses, or JSON lines with one response (page)
per line, as pagination dumps are usually written. Retweets are shares, replies are
comments, quotes are posts with the quoted tweet noted.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from .base import ImportFormatError, LineError, ParsedItem, ParsedPost

_ACTIONS = {"retweeted": "share", "replied_to": "comment", "quoted": "post"}


def pages(path: Path) -> Iterator[tuple[int, Any]]:
    """(line number, response) of each page in the file."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFormatError(f"not UTF-8 text (byte {exc.start})") from exc
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        document = None
    if document is not None:
        if isinstance(document, list):
            yield from ((1, page) for page in document)
        else:
            yield 1, document
        return
    any_page = False
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            page = json.loads(line)
        except json.JSONDecodeError as exc:
            if not any_page and number == 1:
                raise ImportFormatError(f"line 1: not valid JSON ({exc.msg})") from exc
            yield number, LineError(number, f"not valid JSON ({exc.msg})")
            continue
        any_page = True
        yield number, page


def parse_page(number: int, page: Any) -> Iterator[ParsedItem]:
    if isinstance(page, LineError):
        yield page
        return
    if not isinstance(page, dict) or "data" not in page and "meta" not in page:
        yield LineError(number, "not an X API v2 response (no 'data')")
        return
    users = {
        str(user.get("id")): user
        for user in (page.get("includes") or {}).get("users") or []
        if isinstance(user, dict)
    }
    for tweet in page.get("data") or []:
        yield _tweet(number, tweet, users)


def _tweet(number: int, tweet: Any, users: dict[str, dict[str, Any]]) -> ParsedItem:
    if not isinstance(tweet, dict) or not tweet.get("id"):
        return LineError(number, "a tweet without an 'id'")
    tweet_id = str(tweet["id"])
    text = tweet.get("text")
    if not isinstance(text, str):
        return LineError(number, f"tweet {tweet_id}: 'text' must be a string")
    created = tweet.get("created_at")
    try:
        posted_at = datetime.fromisoformat(str(created).replace("Z", "+00:00")) if created else None
    except ValueError:
        return LineError(number, f"tweet {tweet_id}: invalid created_at {created!r}")
    if posted_at is not None and posted_at.tzinfo is None:
        return LineError(number, f"tweet {tweet_id}: created_at has no time zone")
    user = users.get(str(tweet.get("author_id")), {})
    username = str(user.get("username") or "")
    action = "post"
    reference = ""
    for ref in tweet.get("referenced_tweets") or []:
        if isinstance(ref, dict) and ref.get("type") in _ACTIONS:
            action = _ACTIONS[ref["type"]]
            reference = str(ref.get("id") or "")
            break
    return ParsedPost(
        source="x",
        platform="x",
        text=text,
        posted_at=posted_at,
        author_name=str(user.get("name") or ""),
        author_handle=username or str(tweet.get("author_id") or ""),
        external_id=tweet_id,
        url=f"https://x.com/{username or 'i'}/status/{tweet_id}",
        action=action,
        forwarded=action == "share",
        reply_to=reference if action == "comment" else "",
        line=number,
        extra={"referenced": reference} if reference else {},
    )


def parse_file(path: Path) -> Iterator[ParsedItem]:
    for number, page in pages(path):
        yield from parse_page(number, page)
