from django.views.generic import DetailView

from defis.challenges.models import Defi


class DefiDetailView(DetailView[Defi]):
    model = Defi
    template_name = "base.html"
