"""HubSpot's API through its official Python client (``hubspot-api-client``), with HubSpot's rate limits respected.

Every call goes through ``HubSpotApi.call``: a 429 waits as long as ``Retry-After`` says (else backs off), a 5xx or
a dropped connection backs off and tries again, up to ``MAX_RETRIES`` times; anything else is a ``HubSpotError``
for the user. The access token is handed to the client and nowhere else: it is never stored, logged, or put in a
message (the client's own exception text, which holds response headers, is never shown either).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from hubspot import HubSpot
from hubspot.crm.contacts import ApiException as ContactsApiException
from hubspot.crm.contacts import Filter, FilterGroup, PublicObjectSearchRequest
from hubspot.crm.lists import ApiException as ListsApiException
from hubspot.crm.lists import ListCreateRequest
from urllib3.exceptions import HTTPError
from urllib3.util.retry import Retry

from core.errors import DomainError
from core.i18n import N_
from core.rules.hubspot import MODIFIED, PROPERTIES
from core.settings import hubspot_token, hubspot_url

T = TypeVar("T")
PAGE_SIZE = 100  # the most HubSpot's objects API returns in one page
SEARCH_PAGE_SIZE = 200  # the most its search returns in one page
SEARCH_WINDOW = 10_000  # its search pages no further than this for one query
MAX_RETRIES = 6
BACKOFF_SECONDS = 0.25  # doubled on each retry of a 5xx or a dropped connection
MAX_WAIT_SECONDS = 60.0
TIMEOUT = (
    10,
    60,
)  # seconds to connect, and to wait for an answer: a stalled request is retried, never waited on forever
CONTACT_OBJECT = "0-1"  # HubSpot's object type id for contacts (Lists API)


class HubSpotError(DomainError):
    """HubSpot refused or failed a request; the message says which and what to do, never the token."""


@dataclass(frozen=True)
class Page:
    """One page of contacts: (record id, properties) pairs, and the cursor of the next page (None: the last)."""

    contacts: list[tuple[str, dict[str, str | None]]]
    after: str | None
    total: int | None = None  # what a search reports as its total


@dataclass
class Traffic:
    """What the connection did: requests sent, retries among them, and seconds spent waiting for HubSpot."""

    requests: int = 0
    retries: int = 0
    waited: float = 0.0


def _retry_after(exc: Exception) -> float | None:
    headers = getattr(exc, "headers", None) or {}
    value = headers.get("Retry-After") if hasattr(headers, "get") else None
    try:
        return min(float(value), MAX_WAIT_SECONDS) if value is not None else None
    except ValueError:
        return None


def _message(exc: Exception) -> str:
    """HubSpot's own message from an error's JSON body (never the exception text: it holds the headers)."""
    try:
        body = json.loads(getattr(exc, "body", None) or "{}")
    except ValueError:
        return ""
    text = body.get("message") if isinstance(body, dict) else None
    return str(text)[:300] if text else ""


class HubSpotApi:
    """One connection to HubSpot, with its ``Traffic``. ``sleep`` is how it waits (the benchmark counts it)."""

    def __init__(self, token: str, *, host: str | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
        # Retries are ours (counted, and the same for every kind of failure): urllib3 would otherwise retry a 429
        # with Retry-After by itself, unseen.
        options: dict[str, Any] = {"access_token": token, "retry": Retry(total=0, respect_retry_after_header=False)}
        if host:
            options["host"] = host
        self._client = HubSpot(**options)
        self.host = host or "https://api.hubapi.com"
        self.traffic = Traffic()
        self._sleep = sleep

    def call(self, request: Callable[[], T]) -> T:
        """Send one request, retrying what HubSpot asks to retry (429, 5xx) and dropped connections."""
        attempt = 0
        while True:
            self.traffic.requests += 1
            try:
                return request()
            except (ContactsApiException, ListsApiException) as exc:
                status = int(exc.status or 0)
                wait = _retry_after(exc) if status == 429 else None
                if status != 429 and status < 500:
                    raise self._refusal(status, _message(exc)) from None
                said = _message(exc)
                failure = (
                    HubSpotError(
                        N_(
                            "HubSpot answered {status} {message} (after {attempts} retries); "
                            "run the sync again to resume"
                        ),
                        status=str(status),
                        message=said,
                        attempts=attempt,
                    )
                    if said
                    else HubSpotError(
                        N_("HubSpot answered {status} (after {attempts} retries); run the sync again to resume"),
                        status=str(status),
                        attempts=attempt,
                    )
                )
            except HTTPError:
                wait = None
                failure = HubSpotError(
                    N_("cannot reach HubSpot at {host} (after {attempts} retries); run the sync again to resume"),
                    host=self.host,
                    attempts=attempt,
                )
            if attempt >= MAX_RETRIES:
                raise failure from None
            delay = wait if wait is not None else min(BACKOFF_SECONDS * 2**attempt, MAX_WAIT_SECONDS)
            attempt += 1
            self.traffic.retries += 1
            self.traffic.waited += delay
            self._sleep(delay)

    @staticmethod
    def _refusal(status: int, message: str) -> HubSpotError:
        if status in (401, 403):
            return HubSpotError(
                N_(
                    "HubSpot refused the access token ({status}): check HUBSPOT_ACCESS_TOKEN and the private app's "
                    "scopes (crm.objects.contacts.read, crm.lists.read, crm.lists.write)"
                ),
                status=str(status),
            )
        if message:
            return HubSpotError(
                N_("HubSpot refused the request ({status}): {message}"), status=str(status), message=message
            )
        return HubSpotError(N_("HubSpot refused the request ({status})"), status=str(status))

    # --- contacts -----------------------------------------------------------------------------------------
    def contacts_page(self, after: str | None) -> Page:
        """One page of every contact, in HubSpot's id order (a full sync)."""
        basic = self._client.crm.contacts.basic_api
        answer = self.call(
            lambda: basic.get_page(
                limit=PAGE_SIZE,
                after=after,
                properties=list(PROPERTIES),
                archived=False,
                _preload_content=False,
                _request_timeout=TIMEOUT,
            )
        )
        return _page(answer)

    def modified_page(self, since_ms: int, after: str | None, *, limit: int = SEARCH_PAGE_SIZE) -> Page:
        """One page of the contacts modified at or after ``since_ms`` (epoch milliseconds), oldest first."""
        search = self._client.crm.contacts.search_api
        query = PublicObjectSearchRequest(
            filter_groups=[FilterGroup(filters=[Filter(property_name=MODIFIED, operator="GTE", value=str(since_ms))])],
            sorts=[MODIFIED],
            properties=list(PROPERTIES),
            limit=limit,
            after=after,
        )
        answer = self.call(
            lambda: search.do_search(
                public_object_search_request=query, _preload_content=False, _request_timeout=TIMEOUT
            )
        )
        return _page(answer)

    # --- static lists -------------------------------------------------------------------------------------
    def static_list(self, name: str) -> tuple[str, bool]:
        """The id of the static contact list named ``name``, created if HubSpot has none; and whether it was."""
        lists = self._client.crm.lists.lists_api
        try:
            found = self.call(
                lambda: lists.get_by_name(list_name=name, object_type_id=CONTACT_OBJECT, _request_timeout=TIMEOUT)
            )
            if found.list.processing_type != "MANUAL":
                raise HubSpotError(
                    N_("HubSpot's list {name} is an active list: choose another name for a static list"),
                    name=repr(name),
                )
            return str(found.list.list_id), False
        except HubSpotError as exc:
            if "(404)" not in str(exc):
                raise
        request = ListCreateRequest(name=name, object_type_id=CONTACT_OBJECT, processing_type="MANUAL")
        created = self.call(lambda: lists.create(list_create_request=request, _request_timeout=TIMEOUT))
        return str(created.list.list_id), True

    def add_members(self, list_id: str, record_ids: list[int]) -> tuple[int, list[int]]:
        """Add contacts to a static list: how many were added, and the record ids HubSpot does not know."""
        memberships = self._client.crm.lists.memberships_api
        added, missing = 0, []
        for start in range(0, len(record_ids), 250):  # HubSpot takes memberships in batches
            chunk = [str(i) for i in record_ids[start : start + 250]]
            answer = self.call(partial(memberships.add, list_id=list_id, request_body=chunk, _request_timeout=TIMEOUT))
            added += len(answer.records_ids_added or [])
            missing += [int(i) for i in answer.record_ids_missing or []]
        return added, missing


def _page(response: Any) -> Page:
    """A page of contacts from HubSpot's JSON as it came. The client's own models would parse two timestamps per
    contact with dateutil, three quarters of a sync's time, for values the sync does not read."""
    body = json.loads(response.data)
    after = ((body.get("paging") or {}).get("next") or {}).get("after")
    return Page([(r["id"], r["properties"]) for r in body["results"]], after, body.get("total"))


def connect(*, sleep: Callable[[float], None] = time.sleep) -> HubSpotApi:
    """A connection with the configured token (docs/domain.md §12); a ``HubSpotError`` when none is set."""
    token = hubspot_token()
    if not token:
        raise HubSpotError(
            N_(
                "no HubSpot access token: set HUBSPOT_ACCESS_TOKEN (a private app's token) in the environment "
                "or in .streamlit/secrets.toml"
            )
        )
    return HubSpotApi(token, host=hubspot_url(), sleep=sleep)
