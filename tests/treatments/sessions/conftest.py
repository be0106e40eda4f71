# The sessions feature registers its chart timeline, chart panel and lot recall providers when
# treatments.views.sessions is imported (treatments/urls.py imports it at URL load). Tests that
# call those registries without a request import it first.
