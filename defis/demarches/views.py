from django.views.generic import DetailView, ListView

from defis.demarches.models import Demarche


class DemarcheListView(ListView[Demarche]):
    model = Demarche
    template_name = "demarches/demarche_list.html"
    paginate_by = 25


class DemarcheDetailView(DetailView[Demarche]):
    model = Demarche
    slug_field = "observatory_id"
    slug_url_kwarg = "observatory_id"
    template_name = "demarches/demarche_detail.html"
