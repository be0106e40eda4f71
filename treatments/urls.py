"""The treatments app's URLs: each feature module exports its own ``urls``."""

from treatments.views import calendar as calendar_views
from treatments.views import feeds
from treatments.views import followups as followup_views
from treatments.views import plans as views
from treatments.views import portal as portal_views
from treatments.views import scheduling as booking_views
from treatments.views import sessions as session_views

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
