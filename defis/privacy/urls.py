from django.urls import path

from defis.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.MyDataView.as_view(), name="mine"),
    path("export/", views.ExportView.as_view(), name="export"),
    path("effacement/", views.ErasureRequestView.as_view(), name="request-erasure"),
    path("conservation/<slug:slug>/", views.ConsentView.as_view(), name="consent"),
    path("equipe/effacements/", views.ErasureRequestListView.as_view(), name="erasure-requests"),
    path("equipe/effacements/<int:pk>/", views.ErasureRequestDetailView.as_view(), name="erasure-request"),
    path("equipe/effacements/<int:pk>/effacer/", views.ConfirmErasureView.as_view(), name="confirm-erasure"),
    path("equipe/effacements/<int:pk>/refuser/", views.DeclineErasureView.as_view(), name="decline-erasure"),
    path("equipe/conservation/", views.RetentionPolicyListView.as_view(), name="retention"),
    path("equipe/conservation/<slug:slug>/", views.SetRetentionPolicyView.as_view(), name="set-retention"),
]
