from django.urls import path

from defis.reviews import views, views_team

app_name = "reviews"
urlpatterns = [
    # The juror's side.
    path("", views.JurorHomeView.as_view(), name="mine"),
    path("invitation/<uuid:token>/", views.InvitationView.as_view(), name="invitation"),
    path("invitation/<uuid:token>/accepter/", views.AcceptInvitationView.as_view(), name="accept"),
    path("invitation/<uuid:token>/refuser/", views.DeclineInvitationView.as_view(), name="decline"),
    # The programme team's side, before the juror's edition pages so that "equipe" is never an edition.
    path("equipe/<slug:edition_slug>/", views_team.JuryView.as_view(), name="team"),
    path("equipe/<slug:edition_slug>/inviter/", views_team.InviteJurorView.as_view(), name="team-invite"),
    path("equipe/<slug:edition_slug>/reglages/", views_team.JurySettingsView.as_view(), name="team-settings"),
    path("equipe/<slug:edition_slug>/conflits/", views_team.TeamConflictView.as_view(), name="team-conflict"),
    path("equipe/<slug:edition_slug>/conflits/detecter/", views_team.DetectConflictsView.as_view(), name="team-detect"),
    path("equipe/<slug:edition_slug>/criteres/", views_team.CriteriaView.as_view(), name="team-criteria"),
    path(
        "equipe/<slug:edition_slug>/criteres/<int:pk>/supprimer/",
        views_team.DeleteCriterionView.as_view(),
        name="team-criterion-delete",
    ),
    path("equipe/<slug:edition_slug>/affectation/", views_team.AssignmentView.as_view(), name="team-assignment"),
    path(
        "equipe/<slug:edition_slug>/affectation/automatique/",
        views_team.AutomaticAssignmentView.as_view(),
        name="team-assign-auto",
    ),
    path(
        "equipe/<slug:edition_slug>/affectation/ajouter/", views_team.ManualAssignmentView.as_view(), name="team-assign"
    ),
    path(
        "equipe/<slug:edition_slug>/affectation/<int:pk>/retirer/",
        views_team.UnassignView.as_view(),
        name="team-unassign",
    ),
    path("equipe/<slug:edition_slug>/classement/", views_team.RankingView.as_view(), name="team-ranking"),
    path(
        "equipe/<slug:edition_slug>/classement.csv", views_team.RankingExportView.as_view(), name="team-ranking-export"
    ),
    path("equipe/<slug:edition_slug>/deliberation/", views_team.DeliberationView.as_view(), name="team-deliberation"),
    path("equipe/<slug:edition_slug>/deliberation/<int:defi_pk>/", views_team.DecideView.as_view(), name="team-decide"),
    path(
        "equipe/<slug:edition_slug>/notifications/", views_team.NotificationsView.as_view(), name="team-notifications"
    ),
    path("equipe/<slug:edition_slug>/notifications/envoyer/", views_team.NotifyView.as_view(), name="team-notify"),
    # The juror's edition pages.
    path("<slug:edition_slug>/", views.QueueView.as_view(), name="queue"),
    path("<slug:edition_slug>/preferences/", views.PreferencesView.as_view(), name="preferences"),
    path("<slug:edition_slug>/conflits/", views.DeclareConflictView.as_view(), name="declare-conflict"),
    path("<slug:edition_slug>/defis/<int:defi_pk>/", views.ReviewView.as_view(), name="review"),
    path(
        "<slug:edition_slug>/defis/<int:defi_pk>/pieces-jointes/<int:attachment_pk>/",
        views.AttachmentDownloadView.as_view(),
        name="attachment",
    ),
    path(
        "<slug:edition_slug>/defis/<int:defi_pk>/reponses/<int:answer_pk>/fichier/",
        views.AnswerFileDownloadView.as_view(),
        name="answer-file",
    ),
]
