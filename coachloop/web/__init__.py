"""The dashboard and the API (FastAPI + Jinja2). Build the app with :func:`create_app`."""

from coachloop.web.app import create_app

__all__ = ["create_app"]
