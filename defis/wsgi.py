import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "defis.settings")
application = get_wsgi_application()

# What start-up made (settings, apps, models) lives as long as the process: out of the garbage
# collector's reach, collections only scan what requests create, which shortens their pauses; and
# workers forked by `gunicorn --preload` share those pages with the master instead of copying them.
gc.freeze()
