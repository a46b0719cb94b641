from django.urls import path

from defis.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.EventListView.as_view(), name="list"),
    path("objet/<str:target_type>/<str:target_id>/", views.EventHistoryView.as_view(), name="history"),
]
