from django.urls import path

from defis.challenges import views

app_name = "challenges"
urlpatterns = [
    path("", views.MyDefisView.as_view(), name="mine"),
    path("nouveau/<slug:edition_slug>/", views.CreateDefiView.as_view(), name="create"),
    path("demarches/", views.DemarcheSearchView.as_view(), name="demarche-search"),
    path("<int:pk>/", views.DefiDetailView.as_view(), name="detail"),
    path("<int:pk>/modifier/", views.EditDefiView.as_view(), name="edit"),
    path("<int:pk>/brouillon/", views.AutosaveDefiView.as_view(), name="autosave"),
    path("<int:pk>/verifications/", views.DefiChecksView.as_view(), name="checks"),
    path("<int:pk>/pieces-jointes/", views.AttachmentUploadView.as_view(), name="attachments"),
    path("<int:pk>/pieces-jointes/<int:attachment_pk>/", views.AttachmentDownloadView.as_view(), name="attachment"),
    path(
        "<int:pk>/pieces-jointes/<int:attachment_pk>/supprimer/",
        views.AttachmentDeleteView.as_view(),
        name="attachment-delete",
    ),
    path("<int:pk>/coediteurs/", views.InviteCoeditorView.as_view(), name="coeditors"),
    path("<int:pk>/soumettre/", views.SubmitDefiView.as_view(), name="submit"),
    path("<int:pk>/retirer/", views.WithdrawDefiView.as_view(), name="withdraw"),
    path("<int:pk>/rouvrir/", views.ReopenDefiView.as_view(), name="reopen"),
    path("<int:pk>/recepisse/", views.ReceiptView.as_view(), name="receipt"),
]
