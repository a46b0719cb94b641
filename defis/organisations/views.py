from django.views.generic import TemplateView


class MyOrganisationsView(TemplateView):
    template_name = "base.html"
