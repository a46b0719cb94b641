from django.urls import path

from defis.organisations import views

app_name = "organisations"
urlpatterns = [
    path("mes-organisations/", views.MyOrganisationsView.as_view(), name="mine"),
    path("demandes/<int:pk>/", views.MyOrganisationsView.as_view(), name="membership"),
    path("<slug:slug>/", views.MyOrganisationsView.as_view(), name="detail"),
]
