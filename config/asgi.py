import os

from django.core.asgi import get_asgi_application

from config.warmup import warm_up_and_freeze

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_asgi_application()
warm_up_and_freeze()  # config/warmup.py: before the first request
