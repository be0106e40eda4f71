"""The treatments app's models, one module per concern, re-exported here."""
from treatments.models.appointments import (
    HOLDING_STATUSES,
    Appointment,
    AppointmentQuerySet,
    AppointmentStatus,
)
from treatments.models.catalogue import (
    HUMAN_DERIVED_FORBIDDEN,
    IsolationMethod,
    Lot,
    LotQuerySet,
    LotStatus,
    LotUnit,
    Product,
    ProductQuerySet,
)
from treatments.models.followups import (
    GAIS,
    FollowUp,
    FollowUpDecision,
    FollowUpScore,
    PatientRating,
)
from treatments.models.messages import (
    CalendarFeed,
    MessageKind,
    MessageStatus,
    OutboundMessage,
)
from treatments.models.plans import (
    BOOKABLE_STATES,
    MAX_INTERVAL_DAYS,
    MAX_SESSIONS,
    STATE_BADGES,
    PlanState,
    TreatmentPlan,
    TreatmentPlanQuerySet,
    course_text,
    interval_text,
)
from treatments.models.portal import (
    ChangeRequest,
    Intensity,
    RequestState,
    SkinReport,
)
from treatments.models.sessions import (
    AdverseEvent,
    AftercareText,
    SessionAddendum,
    SessionStatus,
    TreatmentSession,
)
from treatments.models.states import (
    StateMachine,
    Transition,
    TransitionRefused,
    Workflow,
)
from treatments.models.worklist import (
    WorklistItem,
    WorklistItemState,
)

__all__ = [
    "BOOKABLE_STATES",
    "GAIS",
    "HOLDING_STATUSES",
    "HUMAN_DERIVED_FORBIDDEN",
    "MAX_INTERVAL_DAYS",
    "MAX_SESSIONS",
    "STATE_BADGES",
    "AdverseEvent",
    "AftercareText",
    "Appointment",
    "AppointmentQuerySet",
    "AppointmentStatus",
    "CalendarFeed",
    "ChangeRequest",
    "FollowUp",
    "FollowUpDecision",
    "FollowUpScore",
    "Intensity",
    "IsolationMethod",
    "Lot",
    "LotQuerySet",
    "LotStatus",
    "LotUnit",
    "MessageKind",
    "MessageStatus",
    "OutboundMessage",
    "PatientRating",
    "PlanState",
    "Product",
    "ProductQuerySet",
    "RequestState",
    "SessionAddendum",
    "SessionStatus",
    "SkinReport",
    "StateMachine",
    "Transition",
    "TransitionRefused",
    "TreatmentPlan",
    "TreatmentPlanQuerySet",
    "TreatmentSession",
    "Workflow",
    "WorklistItem",
    "WorklistItemState",
    "course_text",
    "interval_text",
]
