from django.urls import path, re_path

from defis.challenges import views_team

app_name = "challenges-team"
urlpatterns = [
    path("<slug:edition_slug>/", views_team.TeamDefiListView.as_view(), name="list"),
    re_path(
        r"^(?P<edition_slug>[-\w]+)/export\.(?P<fmt>csv|xlsx)$", views_team.TeamDefiExportView.as_view(), name="export"
    ),
    path("<slug:edition_slug>/relance/", views_team.TeamDefiReminderView.as_view(), name="remind"),
]
