from django.urls import path

from defis.challenges.views import detail, editing, lifecycle, my_defis, sections

app_name = "challenges"
urlpatterns = [
    path("", my_defis.MyDefisView.as_view(), name="mine"),
    path("nouveau/<slug:edition_slug>/", my_defis.CreateDefiView.as_view(), name="create"),
    path("demarches/", editing.DemarcheSearchView.as_view(), name="demarche-search"),
    path("<int:pk>/", detail.DefiDetailView.as_view(), name="detail"),
    path("<int:pk>/modifier/", editing.EditDefiView.as_view(), name="edit"),
    path("<int:pk>/brouillon/", editing.AutosaveDefiView.as_view(), name="autosave"),
    path("<int:pk>/verifications/", editing.DefiChecksView.as_view(), name="checks"),
    path("<int:pk>/pieces-jointes/", sections.AttachmentUploadView.as_view(), name="attachments"),
    path("<int:pk>/pieces-jointes/<int:attachment_pk>/", sections.AttachmentDownloadView.as_view(), name="attachment"),
    path("<int:pk>/reponses/<int:answer_pk>/fichier/", sections.AnswerFileDownloadView.as_view(), name="answer-file"),
    path(
        "<int:pk>/pieces-jointes/<int:attachment_pk>/supprimer/",
        sections.AttachmentDeleteView.as_view(),
        name="attachment-delete",
    ),
    path("<int:pk>/coediteurs/", sections.InviteCoeditorView.as_view(), name="coeditors"),
    path("<int:pk>/soumettre/", lifecycle.SubmitDefiView.as_view(), name="submit"),
    path("<int:pk>/retirer/", lifecycle.WithdrawDefiView.as_view(), name="withdraw"),
    path("<int:pk>/rouvrir/", lifecycle.ReopenDefiView.as_view(), name="reopen"),
    path("<int:pk>/recepisse/", detail.ReceiptView.as_view(), name="receipt"),
]
