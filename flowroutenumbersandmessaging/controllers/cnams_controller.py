"""Placeholder, being written."""

from .base_controller import BaseController


class CNAMsController(BaseController):
    """Being written."""
