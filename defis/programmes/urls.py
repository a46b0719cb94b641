from django.urls import path

from defis.programmes import views

app_name = "programmes"
urlpatterns = [
    path("editions/<slug:slug>/", views.EditionDetailView.as_view(), name="edition"),
    path("equipe/", views.TeamDashboardView.as_view(), name="team"),
]
