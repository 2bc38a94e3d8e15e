"""The open data API (django-ninja), mounted at /api/v1/ in gongkai/urls.py."""
