"""Settings for bench/portal.py's server: the production settings, and bench/portal_urls.py
as the URL configuration (the site's URLs and the bare view the pages are compared with)."""

from gongkai.settings import *  # noqa: F403

ROOT_URLCONF = "bench.portal_urls"
