from django.urls import path

from defis.demarches import views

app_name = "demarches"
urlpatterns = [
    path("", views.DemarcheListView.as_view(), name="list"),
    path("<int:observatory_id>/", views.DemarcheDetailView.as_view(), name="detail"),
]
