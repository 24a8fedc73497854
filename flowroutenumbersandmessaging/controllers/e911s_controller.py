"""Placeholder, being written."""

from .base_controller import BaseController


class E911sController(BaseController):
    """Being written."""
