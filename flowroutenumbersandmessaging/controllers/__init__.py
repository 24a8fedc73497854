"""One controller per Flowroute resource, all sharing :class:`BaseController`."""

from .base_controller import BaseController
from .cdrs_controller import CDRsController
from .cnams_controller import CNAMsController
from .e911s_controller import E911sController
from .messages_controller import MessagesController
from .numbers_controller import NumbersController
from .porting_controller import PortingController
from .routes_controller import RoutesController

__all__ = [
    "BaseController",
    "CDRsController",
    "CNAMsController",
    "E911sController",
    "MessagesController",
    "NumbersController",
    "PortingController",
    "RoutesController",
]
