"""The programme team's workspace, under /equipe/editions/."""

from django.urls import path

from defis.programmes.models import FaqEntry, InterviewCriterion, Phase, Question
from defis.programmes.views_workspace import attention, editions, emails, items, outbox, phases, questions

app_name = "workspace"
urlpatterns = [
    path("", editions.EditionListView.as_view(), name="index"),
    path("nouvelle/", editions.CreateEditionView.as_view(), name="create"),
    path("a-surveiller/", attention.AttentionView.as_view(), name="attention"),
    path("messages/", outbox.OutboxView.as_view(), name="outbox"),
    path("messages/<int:pk>/", outbox.OutboxMessageView.as_view(), name="outbox-message"),
    path("messages/<int:pk>/renvoyer/", outbox.OutboxResendView.as_view(), name="outbox-resend"),
    path("<slug:slug>/", editions.EditionOverviewView.as_view(), name="edition"),
    path("<slug:slug>/publier/", editions.PublishView.as_view(), name="publish"),
    path("<slug:slug>/depublier/", editions.PublishView.as_view(publish=False), name="unpublish"),
    path("<slug:slug>/modele/", editions.TemplateFlagView.as_view(), name="template-flag"),
    path("<slug:slug>/calendrier/", phases.PhasesView.as_view(), name="phases"),
    path("<slug:slug>/calendrier/<int:pk>/", phases.PhaseEditView.as_view(), name="phase"),
    path(
        "<slug:slug>/calendrier/<int:pk>/supprimer/",
        items.DeleteItemView.as_view(model=Phase, back_to="phases"),
        name="phase-delete",
    ),
    path("<slug:slug>/prolongation/", attention.ExtendDeadlineView.as_view(), name="extend"),
    path("<slug:slug>/relance/", attention.RemindView.as_view(), name="remind"),
    path("<slug:slug>/regles/", editions.RulesView.as_view(), name="rules"),
    path("<slug:slug>/offre/", editions.OfferView.as_view(), name="offer"),
    path("<slug:slug>/textes/", editions.TextsView.as_view(), name="texts"),
    path("<slug:slug>/textes/apercu/", editions.MarkdownPreviewView.as_view(), name="texts-preview"),
    path("<slug:slug>/faq/", items.FaqView.as_view(), name="faq"),
    path("<slug:slug>/faq/<int:pk>/", items.FaqEntryEditView.as_view(), name="faq-entry"),
    path(
        "<slug:slug>/faq/<int:pk>/supprimer/",
        items.DeleteItemView.as_view(model=FaqEntry, back_to="faq"),
        name="faq-delete",
    ),
    path("<slug:slug>/questions/", questions.QuestionsView.as_view(), name="questions"),
    path("<slug:slug>/questions/apercu/", questions.QuestionPreviewView.as_view(), name="question-preview"),
    path("<slug:slug>/questions/<int:pk>/", questions.QuestionEditView.as_view(), name="question"),
    path("<slug:slug>/questions/<int:pk>/deplacer/", questions.QuestionMoveView.as_view(), name="question-move"),
    path(
        "<slug:slug>/questions/<int:pk>/supprimer/",
        items.DeleteItemView.as_view(model=Question, back_to="questions"),
        name="question-delete",
    ),
    path("<slug:slug>/criteres/", items.CriteriaView.as_view(), name="criteria"),
    path("<slug:slug>/criteres/<int:pk>/", items.CriterionEditView.as_view(), name="criterion"),
    path(
        "<slug:slug>/criteres/<int:pk>/supprimer/",
        items.DeleteItemView.as_view(model=InterviewCriterion, back_to="criteria"),
        name="criterion-delete",
    ),
    path("<slug:slug>/e-mails/", emails.MessagesView.as_view(), name="messages"),
    path("<slug:slug>/e-mails/<str:kind>/<str:language>/", emails.MessageEditView.as_view(), name="message"),
    path(
        "<slug:slug>/e-mails/<str:kind>/<str:language>/apercu/",
        emails.MessagePreviewView.as_view(),
        name="message-preview",
    ),
    path(
        "<slug:slug>/e-mails/<str:kind>/<str:language>/reinitialiser/",
        emails.MessageResetView.as_view(),
        name="message-reset",
    ),
]
