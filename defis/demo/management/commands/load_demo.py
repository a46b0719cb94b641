from typing import Any

from django.core.management.base import BaseCommand

from defis.demo.services import load_demo


class Command(BaseCommand):
    help = "Load (or refresh) the demo: real editions, organisations and défis, and one account per role."

    def handle(self, *args: Any, **options: Any) -> None:
        report = load_demo()
        for line in report.lines:
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo accounts (sign in at /compte/login/):"))
        for role, email, password in report.accounts:
            self.stdout.write(f"  {role:<60} {email:<26} password: {password}")
