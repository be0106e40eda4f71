"""Every path of the treatments app, one concern (and one view module) at a time."""

from django.urls import path

from treatments.views import (
    adverse_events,
    alerts,
    booking,
    calendar,
    catalogue,
    change_requests,
    comparisons,
    contact,
    courses,
    feeds,
    followups,
    intake,
    online_booking,
    own_record,
    plans,
    portal,
    portal_booking,
    reports,
    scheduling,
    sessions,
    waitlist,
    worklist,
)

app_name = "treatments"

urlpatterns = [
    # how patients hear from the clinic: email or text, failed messages, text replies
    path("portal/contact/", contact.portal_contact, name="portal_contact"),
    path("patients/<int:pk>/messages/", contact.patient_messages, name="patient_messages"),
    path("messages/failed/", contact.failed_messages, name="failed_messages"),
    path("messages/<int:pk>/resend/", contact.message_resend, name="message_resend"),
    path("sms/inbound/", contact.sms_inbound, name="sms_inbound"),
    path("sms/status/", contact.sms_status, name="sms_status"),
    # clinical alerts
    path("alerts/<int:pk>/", alerts.alert_detail, name="alert_detail"),
    path("alerts/texts/", alerts.alert_texts, name="alert_texts"),
    path(
        "portal/report-reaction/", alerts.portal_report_reaction, name="portal_report_reaction"
    ),
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
    # everyone's week links each block here, relatively ("../a/<pk>"): the shortest real address
    path("calendar/a/<int:pk>", calendar.calendar_appointment, name="calendar_appointment"),
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
    # adverse events
    path(
        "adverse-events/<int:pk>/", adverse_events.adverse_event_detail, name="adverse_event_detail"
    ),
    path(
        "adverse-events/<int:pk>/edit/",
        adverse_events.adverse_event_edit,
        name="adverse_event_edit",
    ),
    path(
        "adverse-events/<int:pk>/resolve/",
        adverse_events.adverse_event_resolve,
        name="adverse_event_resolve",
    ),
    path(
        "adverse-events/<int:pk>/report/",
        adverse_events.adverse_event_report,
        name="adverse_event_report",
    ),
    path(
        "adverse-events/<int:pk>/report.json",
        adverse_events.adverse_event_report_json,
        name="adverse_event_report_json",
    ),
    path(
        "adverse-events/<int:pk>/reported/",
        adverse_events.adverse_event_mark_reported,
        name="adverse_event_mark_reported",
    ),
    # comparisons
    path(
        "patients/<int:patient_pk>/photos/compare/",
        comparisons.photo_compare,
        name="photo_compare",
    ),
    path("portal/photos/", comparisons.portal_compare, name="portal_compare"),
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
    # the desk's check of who booked online (the booking page itself is /book/, clinic/urls.py)
    path(
        "online-bookings/<int:pk>/check/",
        online_booking.online_booking_check,
        name="online_booking_check",
    ),
    # intake before a consultation
    path("portal/appointments/<int:pk>/intake/", intake.portal_intake, name="portal_intake"),
    path("appointments/<int:pk>/intake/", intake.intake_review, name="intake_review"),
    # portal booking
    path("portal/book/", portal_booking.portal_book, name="portal_book"),
    path("portal/plans/<int:pk>/book/", portal_booking.portal_book_plan, name="portal_book_plan"),
    path(
        "portal/appointments/<int:pk>/move/",
        portal_booking.portal_appointment_move,
        name="portal_appointment_move",
    ),
    path(
        "portal/appointments/<int:pk>/cancel/",
        portal_booking.portal_appointment_cancel,
        name="portal_appointment_cancel",
    ),
    # the worklist and the desk's requests
    path("worklist/<int:pk>/done/", worklist.worklist_item_done, name="worklist_item_done"),
    path("requests/", change_requests.change_requests, name="change_requests"),
    path(
        "requests/<int:pk>/handle/",
        change_requests.change_request_handle,
        name="change_request_handle",
    ),
    # followups
    path("plans/<int:plan_pk>/follow-ups/new/", followups.followup_new, name="followup_new"),
    path("follow-ups/<int:pk>/", followups.followup_detail, name="followup_detail"),
    path("plans/<int:pk>/course/", followups.course_page, name="course"),
    path("portal/plans/<int:pk>/course/", followups.portal_course, name="portal_course"),
    # reports
    path("reports/", reports.report_index, name="reports"),
    path("reports/outcomes/", reports.report_outcomes, name="report_outcomes"),
    path("reports/outcomes.csv", reports.report_outcomes_csv, name="report_outcomes_csv"),
    path("reports/courses/", reports.report_courses, name="report_courses"),
    path("reports/courses.csv", reports.report_courses_csv, name="report_courses_csv"),
    path("reports/utilisation/", reports.report_utilisation, name="report_utilisation"),
    path("reports/utilisation.csv", reports.report_utilisation_csv, name="report_utilisation_csv"),
    path("reports/attendance/", reports.report_attendance, name="report_attendance"),
    path("reports/attendance.csv", reports.report_attendance_csv, name="report_attendance_csv"),
    path("reports/adverse-events/", reports.report_adverse_events, name="report_adverse_events"),
    path(
        "reports/adverse-events.csv",
        reports.report_adverse_events_csv,
        name="report_adverse_events_csv",
    ),
    path("reports/stock/", reports.report_stock, name="report_stock"),
    path("reports/stock.csv", reports.report_stock_csv, name="report_stock_csv"),
    path("portal/my-record/", own_record.my_record, name="my_record"),
    path("portal/my-record/print/", own_record.my_record_print, name="my_record_print"),
    path("portal/my-record/record.json", own_record.my_record_fhir, name="my_record_fhir"),
    # the waitlist
    path("portal/waitlist/", waitlist.portal_waitlist, name="portal_waitlist"),
    path("portal/waitlist/offers/<str:token>/", waitlist.waitlist_offer, name="waitlist_offer"),
    path("waitlist/", waitlist.waitlist_list, name="waitlist_list"),
    path("waitlist/<int:pk>/", waitlist.waitlist_entry, name="waitlist_entry"),
    path("waitlist/<int:pk>/leave/", waitlist.waitlist_leave, name="waitlist_leave"),
    path("patients/<int:patient_pk>/waitlist/new/", waitlist.waitlist_new, name="waitlist_new"),
]
