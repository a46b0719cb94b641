from typing import Any, ClassVar

from django.contrib import auth
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailUserManager(UserManager["User"]):
    """Users are identified by their e-mail address; there is no username."""

    use_in_migrations = True

    def _create_user_object(
        self, username: str | None, email: str | None, password: str | None, **extra_fields: Any
    ) -> "User":
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        return user

    def create_user(  # type: ignore[override]  # e-mail, not username
        self,
        email: str | None = None,
        password: str | None = None,
        **extra_fields: Any,
    ) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        user = self._create_user_object(None, email, password, **extra_fields)
        user.save(using=self._db)
        return user

    def create_superuser(  # type: ignore[override]  # e-mail, not username
        self,
        email: str | None = None,
        password: str | None = None,
        **extra_fields: Any,
    ) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("is_programme_team", True)
        return self.create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person: programme team member, agent of an administration, juror or candidate.

    Only the programme team is a flag; the other roles come from relations (membership of an
    organisation, a jury seat, an application), so one person may hold several.
    """

    username = None  # type: ignore[assignment]  # e-mail is the identifier
    email = models.EmailField(_("e-mail address"), unique=True)
    is_programme_team = models.BooleanField(
        _("programme team"),
        default=False,
        help_text=_("Runs the programmes: configures editions, sees every défi, reaches the admin."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects = EmailUserManager()  # type: ignore[misc]  # e-mail manager

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def has_perm(self, perm: str, obj: models.Model | None = None) -> bool:
        """Django lets an active superuser through every check; on an object, the rules decide for them
        too: a superuser is the programme team, never a co-editor of a défi nor a juror. Checks without
        an object (the admin's model permissions) keep Django's behaviour."""
        if obj is None:
            return super().has_perm(perm)
        if not self.is_active:
            return False
        try:
            return any(
                backend.has_perm(self, perm, obj) for backend in auth.get_backends() if hasattr(backend, "has_perm")
            )
        except PermissionDenied:  # a backend's veto, as in Django's own loop
            return False
