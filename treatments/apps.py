from django.apps import AppConfig


class TreatmentsConfig(AppConfig):
    name = "treatments"

    def ready(self):
        """Wire what treatments contribute to shared pages, in one place.

        Home sections for each role, chart timeline entries and panels, history kinds and lot
        recall sources. Nothing registers itself on import.
        """
        from clinic import history, home
        from clinic.access import CLINICAL_READERS, CLINICIANS, DESK
        from clinic.models import Role
        from patients import consent_notices, panels, timeline
        from treatments import access
        from treatments.models import Appointment, FollowUp, Lot, Product, TreatmentPlan
        from treatments.services import (
            catalogue,
            contact,
            course_sections,
            followups,
            recall,
            sessions_chart,
        )
        from treatments.services.reports import headlines
        from treatments.timeline import plan_entries
        from treatments.views import (
            adverse_events,
            alerts,
            calendar,
            change_requests,
            intake,
            online_booking,
            portal,
            worklist,
        )

        sections = [
            (alerts.dermatologist_alerts_section, Role.DERMATOLOGIST, "alerts", "Alerts",
             "treatments/alerts/section_alerts.html", 5, "col-12"),
            (alerts.patient_reports_section, Role.PATIENT, "reports", "Your reports to the clinic",
             "treatments/alerts/section_reports.html", 25, "col-lg-5"),
            (calendar.desk_schedule, Role.FRONT_DESK, "schedule", "Appointments today",
             "treatments/calendar/section_schedule.html", 10, "col-12"),
            (calendar.dermatologist_today, Role.DERMATOLOGIST, "today", "Today's sessions",
             "treatments/calendar/section_today.html", 10, "col-lg-7"),
            (intake.intakes_to_confirm_section, Role.DERMATOLOGIST, "intakes",
             "Intakes to confirm", "treatments/intake/section_to_confirm.html", 15, "col-lg-5"),
            (worklist.worklist_section, Role.DERMATOLOGIST, "worklist", "Worklist",
             "treatments/portal/section_worklist.html", 20, "col-lg-5"),
            (course_sections.dermatologist_courses_section, Role.DERMATOLOGIST, "courses",
             "Courses waiting on you", "treatments/course/home_dermatologist.html", 30, "col-12"),
            (online_booking.to_check_section, Role.FRONT_DESK, "online-bookings",
             "Booked online: check identity", "treatments/online_booking/section_to_check.html",
             15, "col-lg-6"),
            (change_requests.requests_section, Role.FRONT_DESK, "requests",
             "Requests from patients", "treatments/portal/section_requests.html", 20, "col-lg-6"),
            (course_sections.courses_to_book_section, Role.FRONT_DESK, "courses", "Courses to book",
             "treatments/course/home_front_desk.html", 30, "col-12"),
            (adverse_events.to_report_section, Role.DERMATOLOGIST, "adverse-events-to-report",
             "Adverse events to report", "treatments/adverse_events/section_to_report.html", 15,
             "col-12"),
            (adverse_events.to_report_section, Role.MANAGER, "adverse-events-to-report",
             "Adverse events to report", "treatments/adverse_events/section_to_report.html", 15,
             "col-12"),
            (portal.upcoming_section, Role.PATIENT, "upcoming", "Your upcoming sessions",
             "treatments/portal/section_upcoming.html", 10, "col-lg-7"),
            (portal.aftercare_section, Role.PATIENT, "aftercare", "Aftercare",
             "treatments/portal/section_aftercare.html", 20, "col-lg-5"),
            (course_sections.patient_courses_section, Role.PATIENT, "courses",
             "Your treatment course", "treatments/course/home_patient.html", 30, "col-lg-7"),
            (headlines.manager_headlines_section, Role.MANAGER, "this-week", "This week",
             "treatments/reports/home_headlines.html", 10, "col-lg-6"),
            (headlines.low_stock_section, Role.MANAGER, "low-stock", "Stock running low",
             "treatments/reports/home_low_stock.html", 20, "col-lg-6"),
            (headlines.low_stock_section, Role.DERMATOLOGIST, "low-stock", "Stock running low",
             "treatments/reports/home_low_stock.html", 40, "col-lg-6"),
        ]
        for provider, role, key, title, template, order, width in sections:
            home.register(role, key, title=title, template=template, order=order, width=width)(
                provider
            )

        for entries in (plan_entries, sessions_chart.session_entries, portal.skin_report_entries,
                        followups.follow_up_entries):
            timeline.register(entries)
        panels.register(sessions_chart.adverse_events_panel)
        panels.register(followups.progress_panel)
        panels.register(contact.contact_panel)
        panels.register(alerts.alerts_panel)
        panels.register(intake.intake_panel)
        recall.register(sessions_chart.session_recall_rows)
        consent_notices.register(catalogue.product_status_notice)

        for kind, model, roles, get_object in (
            ("plan", TreatmentPlan, CLINICIANS, access.get_plan_for_user),
            ("product", Product, CLINICAL_READERS, access.get_product_for_user),
            ("lot", Lot, CLINICAL_READERS, access.get_lot_for_user),
            ("appointment", Appointment, DESK, access.get_appointment_for_user),
            ("follow_up", FollowUp, CLINICIANS, access.get_follow_up_for_user),
        ):
            history.register(kind, model, roles=roles, get_object=get_object)
