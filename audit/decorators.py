"""``@audited``: how a view says that what it shows is logged, without code in its body.

The decorator sits under ``role_required`` and logs only a response that served the record
(2xx): a 403, a 404 for another patient's record or a refused form shows nothing, and is not a
read. The record's id comes from the URL; the patient from the URL too, or from ``patient``:

- ``patient="patient_pk"``: the URL keyword that holds the patient's id;
- ``patient=model_patient(TreatmentPlan)``: one indexed lookup of the record's ``patient_id``;
- ``patient=OWN``: the signed-in patient's own record (the portal's pages about the patient);
- ``many=callable(obj_id) -> [(obj_id, patient_id), ...]``: a list page or export; every patient
  it shows is logged in one insert (``record_accesses``);
- ``patients=callable(obj_id) -> QuerySet`` of patient ids: a list page about one record (a lot's
  recall list) whose patients a query names; the database writes the rows itself, in one
  ``INSERT ... SELECT`` (``record_accesses_of``), the cheapest way for a long list.
"""

from collections.abc import Callable
from functools import wraps

from audit.services import record_access, record_accesses, record_accesses_of

#: The signed-in patient's own record.
OWN = object()


def model_patient(model, field: str = "patient_id") -> Callable[[int], int | None]:
    """The patient of ``model``'s record with the given id (one query on its primary key)."""

    def lookup(obj_id):
        return model._default_manager.filter(pk=obj_id).values_list(field, flat=True).first()

    return lookup


def _log(request, kwargs, *, kind, obj, patient, many, patients=None) -> None:
    obj_id = kwargs.get(obj)
    if patients is not None:
        record_accesses_of(
            by=request.user, request=request, kind=kind, obj_id=obj_id, patients=patients(obj_id)
        )
        return
    if many is not None:
        # A list that names no patient (a lot nobody received) is still a read of the list.
        rows = list(many(obj_id)) or [(obj_id, None)]
        record_accesses(by=request.user, request=request, kind=kind, rows=rows)
        return
    if patient is OWN:
        own = getattr(request.user, "patient", None)
        patient_id = own.pk if own is not None else None
    elif isinstance(patient, str):
        patient_id = kwargs.get(patient)
    elif patient is not None:
        patient_id = patient(obj_id)
    else:
        patient_id = None
    record_access(by=request.user, request=request, kind=kind, obj_id=obj_id, patient=patient_id)


def audited(
    kind: str,
    *,
    obj: str = "pk",
    patient: str | Callable | None = None,
    many=None,
    patients=None,
):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if 200 <= response.status_code < 300:
                _log(
                    request,
                    kwargs,
                    kind=kind,
                    obj=obj,
                    patient=patient,
                    many=many,
                    patients=patients,
                )
            return response

        return wrapper

    return decorator
