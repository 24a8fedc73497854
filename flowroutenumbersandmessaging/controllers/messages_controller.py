"""Placeholder, being written."""

from .base_controller import BaseController


class MessagesController(BaseController):
    """Being written."""
