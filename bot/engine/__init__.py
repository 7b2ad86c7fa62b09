"""The pure conversation engine: never imports telegram, never touches the disk or the clock."""

from .engine import Engine, Turn
from .events import Command, Event, Press, SharedLocation, Start, StartPayload, Text, Unsupported
from .outputs import Ask, Button, CardLine, Finished, Output, Place, Say, ShowCard
from .state import State

__all__ = [
    "Ask", "Button", "CardLine", "Command", "Engine", "Event", "Finished", "Output", "Place", "Press", "Say",
    "SharedLocation", "ShowCard", "Start", "StartPayload", "State", "Text", "Turn", "Unsupported",
]
