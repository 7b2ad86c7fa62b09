"""The pure conversation engine: never imports telegram, never touches the disk or the clock."""

from .effects import EndRequest, OpenRequest, RelayToStaff, SendRequest, TurnContext
from .engine import Engine, Turn
from .events import (
    Command,
    Event,
    Press,
    RequestUpdate,
    SharedContact,
    SharedLocation,
    StaffReply,
    Start,
    StartPayload,
    Text,
    Unsupported,
)
from .outputs import Ask, Button, CardLine, Finished, Output, Place, Say, ShowCard
from .state import State

__all__ = [
    "Ask", "Button", "CardLine", "Command", "EndRequest", "Engine", "Event", "Finished", "OpenRequest", "Output",
    "Place", "Press", "RelayToStaff", "RequestUpdate", "Say", "SendRequest", "SharedContact", "SharedLocation",
    "ShowCard", "StaffReply", "Start", "StartPayload", "State", "Text", "Turn", "TurnContext", "Unsupported",
]
