from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "defis.demo"
    label = "demo"
