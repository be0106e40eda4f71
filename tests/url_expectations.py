"""Who may open each named URL: one row per URL name, read by test_url_permissions.

Adding a URL without a row here fails the suite, so no page ships without a
decision about every role. A row says which roles get the page (``allowed``),
what the others get (403, or 404 where even existence is private), and what an
anonymous visitor gets (the login redirect, unless the page is public).
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from clinic.models import Role

ALL = frozenset(Role)
STAFF = frozenset({Role.DERMATOLOGIST, Role.FRONT_DESK, Role.MANAGER})
DERM = frozenset({Role.DERMATOLOGIST})
DERM_AND_MANAGER = frozenset({Role.DERMATOLOGIST, Role.MANAGER})
DESK_AND_DERM = frozenset({Role.DERMATOLOGIST, Role.FRONT_DESK})
MANAGER = frozenset({Role.MANAGER})
PATIENT = frozenset({Role.PATIENT})


@dataclass(frozen=True)
class Case:
    allowed: frozenset[Role] = ALL
    # kwargs for reverse(); a callable gets the pytest request and may create records.
    kwargs: dict | Callable = field(default_factory=dict)
    method: str = "get"
    data: dict | None = None
    ok: int = 200  # what an allowed role gets
    denied: int = 403  # what any other role gets
    public: bool = False  # anonymous visitors are served rather than sent to log in
    anonymous: int | None = None  # what an anonymous visitor gets when public (default: ok)
    per_role: dict = field(default_factory=dict)  # exceptions: role -> status


def _room(request):
    from tests.factories import RoomFactory

    return {"kind": "room", "pk": RoomFactory().pk}


def _reset_confirm(request):
    return {"uidb64": "MQ", "token": "not-a-valid-token"}


CORE_CASES: dict[str, Case] = {
    "home": Case(),
    "healthz": Case(public=True),
    # Signed-in people are sent on from the login page to their home.
    "login": Case(public=True, ok=302),
    "logout": Case(method="post", ok=302, public=True, anonymous=302),
    "password_change": Case(),
    "password_change_done": Case(),
    "password_reset": Case(public=True),
    "password_reset_done": Case(public=True),
    "password_reset_confirm": Case(public=True, kwargs=_reset_confirm),
    "password_reset_complete": Case(public=True),
    # The room kind is for dermatologists and managers; other kinds say their own (test_history).
    "record_history": Case(allowed=DERM_AND_MANAGER, kwargs=_room),
    # Clinical safety: only dermatologists see who changed accounts and change the policy.
    "account_changes": Case(allowed=DERM),
    "clinical_policy": Case(allowed=DERM),
}


def _all_cases() -> dict[str, Case]:
    """The core rows plus every `tests/**/url_cases.py` module's CASES, each area owning its own."""
    cases = dict(CORE_CASES)
    root = Path(__file__).parent
    for path in sorted(root.glob("**/url_cases.py")):
        module = ".".join(("tests", *path.relative_to(root).with_suffix("").parts))
        for name, case in importlib.import_module(module).CASES.items():
            assert name not in cases, f"{name} has two permission rows"
            cases[name] = case
    return cases


CASES = _all_cases()
