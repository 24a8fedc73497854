"""Placeholder, being written."""

from .base_controller import BaseController


class PortingController(BaseController):
    """Being written."""
