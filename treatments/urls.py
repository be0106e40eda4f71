"""The treatments app's URLs: each feature module exports its own ``urls``."""

from treatments import (
    booking_views,
    calendar_views,
    feeds,
    followup_views,
    portal_views,
    session_views,
    views,
)

app_name = "treatments"

urlpatterns = [
    *views.urls,
    *booking_views.urls,
    *calendar_views.urls,
    *feeds.urls,
    *session_views.urls,
    *portal_views.urls,
    *followup_views.urls,
]
