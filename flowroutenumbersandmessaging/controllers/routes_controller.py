"""Placeholder, being written."""

from .base_controller import BaseController


class RoutesController(BaseController):
    """Being written."""
