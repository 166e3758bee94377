"""A local HTTP server that speaks the part of HubSpot's v3 API Marketable uses, for tests and the benchmark.

The shapes are those HubSpot documents (CRM objects v3, CRM search v3, Lists v3):

- ``GET /crm/v3/objects/contacts?limit&after&properties`` pages contacts by id, ``paging.next.after`` a cursor;
- ``POST /crm/v3/objects/contacts/search`` filters (``GTE``/``GT``/``LT``/``EQ`` on a property), sorts ascending
  on one property, pages with ``after``, and refuses to page past 10,000 results, as HubSpot's search does;
- ``POST /crm/v3/lists``, ``GET /crm/v3/lists/object-type-id/0-1/name/{name}``,
  ``PUT /crm/v3/lists/{id}/memberships/add`` and ``GET /crm/v3/lists/{id}/memberships`` for static lists.

Every request must carry ``Authorization: Bearer <token>`` (401 otherwise). Faults are queued: ``fail(status,
times, retry_after)`` makes the next requests (or those after ``after_requests`` more) answer with that status, so
a test gets a 429 with ``Retry-After`` or a 500 in the middle of a sync. ``requests`` counts what was served.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

SEARCH_LIMIT = 10_000  # HubSpot's search returns at most this many results for one query
BASE_TIME = datetime(2026, 1, 1, tzinfo=UTC)


def stamp(moment: datetime) -> str:
    """HubSpot's timestamps: ISO 8601 in UTC with milliseconds and a Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


@dataclass
class Fault:
    status: int
    times: int
    after_requests: int = 0
    retry_after: str | None = None
    path_prefix: str = "/crm/v3/objects/contacts"


@dataclass
class HubSpotState:
    token: str
    contacts: dict[int, dict[str, Any]] = field(default_factory=dict)  # record id -> {"properties", ...}
    lists: dict[int, dict[str, Any]] = field(default_factory=dict)
    memberships: dict[int, list[int]] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    requests: int = 0
    failed: int = 0
    unauthorised: int = 0
    next_list_id: int = 100
    lock: threading.Lock = field(default_factory=threading.Lock)
    ordered: list[int] | None = None  # record ids sorted, rebuilt after a change
    delay: float = 0.0  # seconds each answer takes (a browser test watches a sync's progress bar)

    def add_contact(self, record_id: int, **properties: Any) -> None:
        """A contact as HubSpot holds it: every property a string (or null); dates default to BASE_TIME + id s."""
        moment = BASE_TIME + timedelta(seconds=record_id)
        props = {"createdate": stamp(moment), "lastmodifieddate": stamp(moment), "hs_object_id": str(record_id)}
        props.update(
            {
                k: (None if v is None else str(v).lower() if isinstance(v, bool) else str(v))
                for k, v in properties.items()
            }
        )
        self.contacts[record_id] = {"properties": props}
        self.ordered = None

    def modify(self, record_id: int, at: datetime, **properties: Any) -> None:
        """Change properties of a contact in HubSpot, moving its last-modified date to ``at``."""
        props = self.contacts[record_id]["properties"]
        props.update(
            {
                k: (None if v is None else str(v).lower() if isinstance(v, bool) else str(v))
                for k, v in properties.items()
            }
        )
        props["lastmodifieddate"] = stamp(at)

    def fail(self, status: int, *, times: int = 1, after_requests: int = 0, retry_after: str | None = None) -> None:
        self.faults.append(Fault(status, times, after_requests, retry_after))

    def ids(self) -> list[int]:
        if self.ordered is None:
            self.ordered = sorted(self.contacts)
        return self.ordered


def _json_object(record_id: int, contact: dict[str, Any], wanted: list[str] | None) -> dict[str, Any]:
    props = contact["properties"]
    chosen = props if not wanted else {name: props.get(name) for name in wanted}
    chosen = {**chosen, "hs_object_id": str(record_id)}
    return {
        "id": str(record_id),
        "properties": chosen,
        "createdAt": props["createdate"],
        "updatedAt": props["lastmodifieddate"],
        "archived": False,
    }


def _millis(value: str) -> float:
    if value.isdigit():
        return int(value) / 1000
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


def _matches(props: dict[str, Any], flt: dict[str, Any]) -> bool:
    name, operator, value = flt["propertyName"], flt["operator"], flt.get("value")
    have = props.get(name)
    if operator == "HAS_PROPERTY":
        return have is not None
    if have is None:
        return False
    if name in ("lastmodifieddate", "createdate"):
        left, right = _millis(have), _millis(str(value))
        return {
            "GTE": left >= right,
            "GT": left > right,
            "LT": left < right,
            "LTE": left <= right,
            "EQ": left == right,
        }[operator]
    return operator == "EQ" and str(have) == str(value)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    # --- plumbing -----------------------------------------------------------------------------------------
    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        return json.loads(self.rfile.read(length) or b"null")

    def _gate(self) -> bool:
        """Authorise and inject queued faults; False when the request was answered already."""
        state = self.server.state
        with state.lock:
            state.requests += 1
            if self.headers.get("Authorization") != f"Bearer {state.token}":
                state.unauthorised += 1
                unauthorised = True
            else:
                unauthorised = False
                fault = next((f for f in state.faults if self.path.startswith(f.path_prefix)), None)
                if fault is not None and fault.after_requests > 0:
                    fault.after_requests -= 1
                    fault = None
                if fault is not None:
                    fault.times -= 1
                    if fault.times <= 0:
                        state.faults.remove(fault)
                    state.failed += 1
        if state.delay:
            time.sleep(state.delay)
        if unauthorised:
            self._body() if self.command in ("POST", "PUT") else None
            self._send(
                401,
                {
                    "status": "error",
                    "message": "Authentication credentials not found.",
                    "category": "INVALID_AUTHENTICATION",
                },
            )
            return False
        if fault is not None:
            self._body() if self.command in ("POST", "PUT") else None
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            message = "You have reached your secondly limit." if fault.status == 429 else "internal error"
            self._send(fault.status, {"status": "error", "message": message, "category": "RATE_LIMITS"}, headers)
            return False
        return True

    # --- routes -------------------------------------------------------------------------------------------
    def do_GET(self) -> None:
        if not self._gate():
            return
        url = urlparse(self.path)
        query = parse_qs(url.query)
        parts = url.path.strip("/").split("/")
        if url.path == "/crm/v3/objects/contacts":
            self._contacts_page(query)
        elif url.path.startswith("/crm/v3/lists/object-type-id/0-1/name/"):
            name = unquote(parts[-1]).lower()
            found = next((lst for lst in self.server.state.lists.values() if lst["name"].lower() == name), None)
            if found is None:
                self._send(404, {"status": "error", "message": "List does not exist", "category": "OBJECT_NOT_FOUND"})
            else:
                self._send(200, {"list": found})
        elif len(parts) == 5 and parts[:3] == ["crm", "v3", "lists"] and parts[4] == "memberships":
            members = self.server.state.memberships.get(int(parts[3]), [])
            self._send(
                200, {"results": [{"recordId": str(m), "membershipTimestamp": stamp(BASE_TIME)} for m in members]}
            )
        else:
            self._send(404, {"status": "error", "message": f"no route {url.path}"})

    def do_POST(self) -> None:
        if not self._gate():
            return
        path = urlparse(self.path).path.rstrip("/")
        body = self._body()
        if path == "/crm/v3/objects/contacts/search":
            self._search(body)
        elif path == "/crm/v3/lists":
            state = self.server.state
            with state.lock:
                if any(lst["name"].lower() == body["name"].lower() for lst in state.lists.values()):
                    self._send(400, {"status": "error", "message": "A list with this name already exists"})
                    return
                state.next_list_id += 1
                list_id = state.next_list_id
                created = {
                    "listId": str(list_id),
                    "name": body["name"],
                    "objectTypeId": body["objectTypeId"],
                    "processingType": body["processingType"],
                    "processingStatus": "COMPLETE",
                    "listVersion": 1,
                    "size": 0,
                    "createdAt": stamp(BASE_TIME),
                    "updatedAt": stamp(BASE_TIME),
                }
                state.lists[list_id] = created
                state.memberships[list_id] = []
            self._send(200, {"list": created})
        else:
            self._send(404, {"status": "error", "message": f"no route {path}"})

    def do_PUT(self) -> None:
        if not self._gate():
            return
        parts = urlparse(self.path).path.strip("/").split("/")
        body = self._body()
        if len(parts) == 6 and parts[:3] == ["crm", "v3", "lists"] and parts[4:] == ["memberships", "add"]:
            state = self.server.state
            list_id = int(parts[3])
            if list_id not in state.lists:
                self._send(404, {"status": "error", "message": "List does not exist"})
                return
            ids = [int(x) for x in body]
            added = [i for i in ids if i in state.contacts and i not in state.memberships[list_id]]
            missing = [i for i in ids if i not in state.contacts]
            state.memberships[list_id].extend(added)
            state.lists[list_id]["size"] = len(state.memberships[list_id])
            self._send(
                200,
                {
                    "recordsIdsAdded": [str(i) for i in added],
                    "recordIdsMissing": [str(i) for i in missing],
                    "recordIdsRemoved": [],
                },
            )
        else:
            self._send(404, {"status": "error", "message": "no route"})

    def _contacts_page(self, query: dict[str, list[str]]) -> None:
        state = self.server.state
        limit = min(int(query.get("limit", ["10"])[0]), 100)
        after = int(query.get("after", ["0"])[0])
        wanted = [p for value in query.get("properties", []) for p in value.split(",") if p]
        ids = state.ids()
        start = _bisect(ids, after)
        chunk = ids[start : start + limit]
        body: dict[str, Any] = {"results": [_json_object(i, state.contacts[i], wanted) for i in chunk]}
        if start + limit < len(ids):
            body["paging"] = {"next": {"after": str(chunk[-1] + 1), "link": "?after=" + str(chunk[-1] + 1)}}
        self._send(200, body)

    def _search(self, body: dict[str, Any]) -> None:
        state = self.server.state
        limit = min(int(body.get("limit") or 10), 200)
        after = int(body.get("after") or 0)
        if after + limit > SEARCH_LIMIT:
            self._send(
                400,
                {
                    "status": "error",
                    "message": "paging past 10000 results is not supported",
                    "category": "VALIDATION_ERROR",
                },
            )
            return
        groups = body.get("filterGroups") or []
        found = [
            i
            for i in state.ids()
            if not groups
            or any(all(_matches(state.contacts[i]["properties"], f) for f in g["filters"]) for g in groups)
        ]
        for sort in reversed(body.get("sorts") or []):
            name = sort if isinstance(sort, str) else sort.get("propertyName")
            found.sort(key=lambda i, n=name: _millis(state.contacts[i]["properties"][n]))
        chunk = found[after : after + limit]
        wanted = body.get("properties") or []
        result: dict[str, Any] = {
            "total": len(found),
            "results": [_json_object(i, state.contacts[i], wanted) for i in chunk],
        }
        if after + limit < len(found):
            result["paging"] = {"next": {"after": str(after + limit)}}
        self._send(200, result)


def _bisect(ids: list[int], after: int) -> int:
    lo, hi = 0, len(ids)
    while lo < hi:
        mid = (lo + hi) // 2
        if ids[mid] < after:
            lo = mid + 1
        else:
            hi = mid
    return lo


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: HubSpotState) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state


@contextmanager
def running(token: str = "pat-test-0123456789") -> Iterator[tuple[str, HubSpotState]]:
    """Serve a fresh HubSpot on a free 127.0.0.1 port: (base URL, its state), stopped at the end."""
    state = HubSpotState(token=token)
    server = _Server(state)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", state
    finally:
        server.shutdown()
        server.server_close()


def fill(state: HubSpotState, n: int, *, first: int = 1) -> None:
    """``n`` contacts as a HubSpot account holds them: a third marketing, some pending, some bounced."""
    stages = ("subscriber", "lead", "marketingqualifiedlead", "customer", "other")
    for i in range(first, first + n):
        state.add_contact(
            i,
            email=f"contact{i}@example.org",
            firstname="Ada",
            lastname=f"Name{i}",
            lifecyclestage=stages[i % len(stages)],
            hs_marketable_status=i % 3 == 0,
            hs_marketable_until_renewal=i % 30 == 0,
            hs_marketable_reason_type="FORM" if i % 3 == 0 else None,
            hs_email_hard_bounce_reason_enum="MAILBOX_FULL" if i % 50 == 0 else None,
            hs_email_optout=i % 40 == 0,
            hs_object_source="FORM" if i % 2 else "IMPORT",
        )


def main() -> None:
    """``python -m tests.hubspot_fake --contacts N``: serve N contacts until stdin closes; prints the URL first."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--contacts", type=int, default=1000)
    parser.add_argument("--token", default="pat-bench")
    args = parser.parse_args()
    with running(args.token) as (url, state):
        fill(state, args.contacts)
        state.ids()
        print(url, flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    main()
