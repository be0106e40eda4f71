"""The treatments app's URLs: each feature module exports its own ``urls``."""

from treatments import views

app_name = "treatments"

urlpatterns = [*views.urls]
