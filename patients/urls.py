"""The patients app's URLs: each feature module under patients/views/ exports its own ``urls``."""

from patients.views import assessments, chart, consents, photos, portal, registry, screens

app_name = "patients"

urlpatterns = [
    *registry.urls,
    *chart.urls,
    *screens.urls,
    *consents.urls,
    *assessments.urls,
    *photos.urls,
    *portal.urls,
]
