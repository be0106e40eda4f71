"""The one permission layer every view uses: who may open what.

Views never compare roles by hand. They say which roles may use them with
``@role_required(...)``; anonymous visitors are sent to the login page by
``LoginRequiredMiddleware`` before any view runs, and a signed-in user of
another role gets 403. Records whose very existence is private (another
patient's chart, say) are fetched through per-kind access helpers in each app
that answer 404 instead.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from clinic.models import Role

CLINICIANS = (Role.DERMATOLOGIST,)
CLINICAL_READERS = (Role.DERMATOLOGIST, Role.MANAGER)
DESK = (Role.FRONT_DESK, Role.DERMATOLOGIST)
MANAGERS = (Role.MANAGER,)
PATIENTS = (Role.PATIENT,)


def role_required(*roles: Role) -> Callable:
    """Let only signed-in users with one of ``roles`` through; others get 403."""
    if not roles:
        raise ValueError("role_required needs at least one role.")

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user.has_role(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.allowed_roles = frozenset(roles)
        return wrapper

    return decorator
