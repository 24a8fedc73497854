"""Placeholder, being written."""

from .base_controller import BaseController


class CDRsController(BaseController):
    """Being written."""
