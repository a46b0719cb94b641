from django.urls import path

from defis.organisations import views

app_name = "organisations"
urlpatterns = [
    path("mes-organisations/", views.MyOrganisationsView.as_view(), name="mine"),
    path("demandes/<int:pk>/", views.MembershipReviewView.as_view(), name="membership"),
    path("demandes/<int:pk>/accepter/", views.ApproveMembershipView.as_view(), name="approve"),
    path("demandes/<int:pk>/refuser/", views.RefuseMembershipView.as_view(), name="refuse"),
    path("demandes/<int:pk>/role/", views.SetMembershipRoleView.as_view(), name="set-role"),
    path("<slug:slug>/", views.OrganisationDetailView.as_view(), name="detail"),
    path("<slug:slug>/nature/", views.SetOrganisationKindView.as_view(), name="set-kind"),
]
