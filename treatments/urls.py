"""Every path of the treatments app, one concern (and one view module) at a time."""

from django.urls import path

from treatments.views import (
    booking,
    calendar,
    catalogue,
    courses,
    feeds,
    followups,
    plans,
    portal,
    scheduling,
    sessions,
)

app_name = "treatments"

urlpatterns = [
    # plans
    path("assessments/<int:assessment_pk>/plans/new/", plans.plan_new, name="plan_new"),
    path(
        "assessments/<int:assessment_pk>/plans/recommendation/",
        plans.plan_recommendation,
        name="plan_recommendation",
    ),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/transition/", plans.plan_transition, name="plan_transition"),
    # catalogue
    path("products/", catalogue.product_list, name="product_list"),
    path("lots/", catalogue.lot_list, name="lot_list"),
    path("lots/<int:pk>/recall/", catalogue.lot_recall, name="lot_recall"),
    path("lots/<int:pk>/recall.csv", catalogue.lot_recall_csv, name="lot_recall_csv"),
    path("lots/<int:pk>/withdraw/", catalogue.lot_withdraw, name="lot_withdraw"),
    # scheduling
    path("patients/<int:patient_pk>/book/", booking.appointment_new, name="appointment_new"),
    path("patients/<int:patient_pk>/book/slots/", booking.slot_search, name="slot_search"),
    path("plans/<int:plan_pk>/book-course/", courses.course_preview, name="course_preview"),
    path("appointments/<int:pk>/", scheduling.appointment_detail, name="appointment_detail"),
    path("appointments/<int:pk>/move/", scheduling.appointment_move, name="appointment_move"),
    path("appointments/<int:pk>/cancel/", scheduling.appointment_cancel, name="appointment_cancel"),
    path("appointments/<int:pk>/status/", scheduling.appointment_status, name="appointment_status"),
    # calendar
    path("calendar/day/", calendar.calendar_day, name="calendar_day"),
    path("calendar/week/", calendar.calendar_week, name="calendar_week"),
    path("calendar/book/", calendar.calendar_book_at, name="calendar_book_at"),
    # feeds
    path("appointments/<int:pk>/calendar.ics", feeds.appointment_calendar, name="appointment_ics"),
    path("feeds/<str:token>.ics", feeds.feed, name="feed"),
    path("calendar-feed/", feeds.feed_settings, name="feed_settings"),
    # sessions
    path(
        "appointments/<int:appointment_pk>/session/", sessions.session_start, name="session_start"
    ),
    path("sessions/<int:pk>/", sessions.session_detail, name="session_detail"),
    path("sessions/<int:pk>/prescreen/", sessions.session_prescreen, name="session_prescreen"),
    path("sessions/<int:pk>/preparation/", sessions.session_prep, name="session_prep"),
    path(
        "sessions/<int:pk>/application/", sessions.session_application, name="session_application"
    ),
    path("sessions/<int:pk>/complete/", sessions.session_complete, name="session_complete"),
    path(
        "sessions/<int:pk>/not-treated/", sessions.session_not_treated, name="session_not_treated"
    ),
    path("sessions/<int:pk>/addenda/", sessions.session_addendum, name="session_addendum"),
    path("sessions/<int:pk>/aftercare/", sessions.aftercare, name="aftercare"),
    path(
        "patients/<int:patient_pk>/adverse-events/new/",
        sessions.adverse_event_new,
        name="adverse_event_new",
    ),
    # portal
    path("portal/appointments/", portal.portal_appointments, name="portal_appointments"),
    path(
        "portal/appointments/<int:pk>/request/",
        portal.portal_change_request,
        name="portal_change_request",
    ),
    path("portal/sessions/", portal.portal_sessions, name="portal_sessions"),
    path(
        "portal/sessions/<int:pk>/skin-report/",
        portal.portal_skin_report,
        name="portal_skin_report",
    ),
    path("portal/plans/<int:pk>/rating/", portal.portal_rating, name="portal_rating"),
    path("worklist/<int:pk>/done/", portal.worklist_item_done, name="worklist_item_done"),
    path("requests/", portal.change_requests, name="change_requests"),
    path("requests/<int:pk>/handle/", portal.change_request_handle, name="change_request_handle"),
    # followups
    path("plans/<int:plan_pk>/follow-ups/new/", followups.followup_new, name="followup_new"),
    path("follow-ups/<int:pk>/", followups.followup_detail, name="followup_detail"),
    path("plans/<int:pk>/course/", followups.course_page, name="course"),
    path("portal/plans/<int:pk>/course/", followups.portal_course, name="portal_course"),
]
