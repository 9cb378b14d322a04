"""Bench-only settings: production settings (config.settings) plus the ceiling view (bench/urls.py).

Used by bench/load_bench.py for the servers it starts; never by a deployment.
"""

from config.settings import *  # noqa: F403
from config.settings import BASE_DIR, STATIC_ROOT

ROOT_URLCONF = "bench.urls"

if not STATIC_ROOT.is_dir():  # no collectstatic for a bench: WhiteNoise would warn at every start
    STATIC_ROOT = BASE_DIR / "bench"
