from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from defis.demarches import selectors
from defis.demarches.forms import DemarcheSearchForm
from defis.demarches.models import Demarche, IndicatorSet, ObservatoryEdition


class DemarcheListView(ListView[Demarche]):
    """The observatory's démarches, searchable, with their indicators in the latest edition."""

    template_name = "demarches/demarche_list.html"
    context_object_name = "demarches"
    paginate_by = 25
    form: DemarcheSearchForm
    query: str
    edition: ObservatoryEdition | None

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.form = DemarcheSearchForm(request.GET)
        self.query = self.form.cleaned_data["q"] if self.form.is_valid() else ""
        self.edition = selectors.latest_edition()
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Demarche]:
        return selectors.demarches_for_list(query=self.query, edition=self.edition)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        page.pages_list = page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
        heading = _("Online démarches")
        title = _("Online démarches matching “%(query)s”") % {"query": self.query} if self.query else heading
        if page.number > 1:
            title = _("%(title)s, page %(number)s of %(count)s") % {
                "title": title,
                "number": page.number,
                "count": page.paginator.num_pages,
            }
        context.update(
            form=self.form,
            query=self.query,
            edition=self.edition,
            heading=heading,
            title=title,
            breadcrumb_data={"current": heading},
        )
        return context


class DemarcheDetailView(DetailView[Demarche]):
    """One démarche and its indicators in every edition that lists it."""

    template_name = "demarches/demarche_detail.html"
    context_object_name = "demarche"
    slug_field = "observatory_id"
    slug_url_kwarg = "observatory_id"
    queryset = Demarche.objects.select_related("ministry")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        demarche = self.object
        history: list[IndicatorSet] = list(selectors.indicator_history(demarche=demarche))
        latest = selectors.latest_edition()
        context.update(
            history=history,
            latest_edition=latest,
            in_latest_top250=any(s.edition_id == latest.pk and s.in_top250 for s in history) if latest else False,
            title=demarche.title,
            breadcrumb_data={
                "current": demarche.title,
                "links": [{"url": reverse("demarches:list"), "title": _("Online démarches")}],
            },
        )
        return context
