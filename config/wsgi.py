import os

from django.core.wsgi import get_wsgi_application

from config.warmup import warm_up_and_freeze

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
warm_up_and_freeze()  # config/warmup.py: before the first request
