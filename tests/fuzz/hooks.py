"""Schemathesis hooks for the SBM CRM fuzz suite (loaded through SCHEMATHESIS_HOOKS by run.sh).

Two things schemathesis cannot know from the OpenAPI documents alone:

1. Who calls. Most operations need a staff token (the admin: every permission), but a few are
   the member's own (`/members/me`, `/balance/me`, receipt upload, tickets ...) and answer 403
   to staff. Two auth providers therefore pick the identity per operation.
2. Not sawing off the branch we sit on. The fuzzer's own ids are reachable (`GET /staff/me`,
   `GET /members/me`) and schemathesis feeds ids from responses into later calls. A PATCH of
   the admin's own account (new password or role) or a DELETE of it or of the fuzz member
   would end the session every later call uses. Such calls are pointed at a decoy account
   instead, so the operation is still fuzzed with every body and the decoy takes the damage.

Configuration comes from the environment that run.sh sets: SBM_FUZZ_BASE
(http://127.0.0.1:PORT), SBM_FUZZ_ADMIN_EMAIL, SBM_FUZZ_ADMIN_PASSWORD, SBM_FUZZ_MEMBER_CODE
(the WeChat code the fuzz member logs in with), and the ids SBM_FUZZ_ADMIN_ID,
SBM_FUZZ_MEMBER_ID, SBM_FUZZ_DECOY_STAFF_ID, SBM_FUZZ_DECOY_MEMBER_ID.
"""

import os

import requests
import schemathesis

BASE = os.environ["SBM_FUZZ_BASE"]

# (method, path as written in the document) of the operations only a member may call.
MEMBER_OPERATIONS = {
    ("GET", "/members/me"),
    ("PATCH", "/members/me"),
    ("GET", "/members/me/qr-code"),
    ("GET", "/members/me/consents"),
    ("POST", "/members/me/consents"),
    ("GET", "/transactions/me"),
    ("POST", "/receipts"),
    ("GET", "/receipts/me"),
    ("POST", "/point-request-tickets"),
    ("GET", "/point-request-tickets/me"),
    ("POST", "/point-request-tickets/{id}/cancel"),
    ("GET", "/balance/me"),
    ("GET", "/redemptions/me"),
    ("GET", "/notifications/me"),
    ("GET", "/notifications/me/unread-count"),
    ("POST", "/notifications/me/read-all"),
    ("PATCH", "/notifications/{id}"),
    ("GET", "/preferences/me"),
    ("PUT", "/preferences/me"),
}

# (method, path) -> (the fuzzer's own id, the decoy's id): calls that would end our sessions.
REDIRECTED = {
    ("PATCH", "/staff/{id}"): (os.environ["SBM_FUZZ_ADMIN_ID"], os.environ["SBM_FUZZ_DECOY_STAFF_ID"]),
    ("DELETE", "/staff/{id}"): (os.environ["SBM_FUZZ_ADMIN_ID"], os.environ["SBM_FUZZ_DECOY_STAFF_ID"]),
    ("DELETE", "/members/{id}"): (os.environ["SBM_FUZZ_MEMBER_ID"], os.environ["SBM_FUZZ_DECOY_MEMBER_ID"]),
}


def is_member_operation(ctx) -> bool:
    return (ctx.operation.method.upper(), ctx.operation.path) in MEMBER_OPERATIONS


def _login(path, body):
    r = requests.post(f"{BASE}/auth/api{path}", json=body, timeout=30)
    r.raise_for_status()
    return r.json()["data"]["accessToken"]


def _set_bearer(case, token):
    case.headers = case.headers or {}
    case.headers["Authorization"] = f"Bearer {token}"


@schemathesis.auth().skip_for(is_member_operation)
class StaffAuth:
    """The fuzzer's admin (every staff permission)."""

    def get(self, case, ctx):
        return _login("/login", {"email": os.environ["SBM_FUZZ_ADMIN_EMAIL"],
                                 "password": os.environ["SBM_FUZZ_ADMIN_PASSWORD"]})

    def set(self, case, token, ctx):
        _set_bearer(case, token)


@schemathesis.auth().apply_to(is_member_operation)
class MemberAuth:
    """The fuzz member, logged in through the WeChat stand-in (wechat_stub.py)."""

    def get(self, case, ctx):
        return _login("/members/wechat-login", {"code": os.environ["SBM_FUZZ_MEMBER_CODE"]})

    def set(self, case, token, ctx):
        _set_bearer(case, token)


@schemathesis.hook
def before_call(ctx, case, kwargs):
    """Point calls that would end the fuzzer's own sessions at the decoys."""
    own_and_decoy = REDIRECTED.get((case.method.upper(), case.operation.path))
    if own_and_decoy and (case.path_parameters or {}).get("id") == own_and_decoy[0]:
        case.path_parameters["id"] = own_and_decoy[1]
