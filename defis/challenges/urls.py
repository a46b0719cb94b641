from django.urls import path

from defis.challenges import views

app_name = "challenges"
urlpatterns = [
    path("<int:pk>/", views.DefiDetailView.as_view(), name="detail"),
]
