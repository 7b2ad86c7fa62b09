"""RSA Seine-Saint-Denis assistant.

Three layers: YAML content (flows/, knowledge/) → bot.content (frozen models, checks) and bot.engine (pure
conversation engine) → channels (bot.channels: terminal, Telegram). Storage sits behind bot.store.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
