from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "defis.common"
    label = "common"
