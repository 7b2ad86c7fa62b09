"""Live reload: the running bot swaps to new content (flows/, knowledge/, locales/) only once it is fully checked.

The content, its translations and the engine built on them are one immutable value (Loaded); a reload builds and
checks the new one off the event loop, then replaces the reference between two updates. A failed reload keeps the
last good content and says why, file:line and fix.
"""

from .library import ContentLibrary, Loaded, ReloadResult
from .watch import WATCHED, watch_content

__all__ = ["WATCHED", "ContentLibrary", "Loaded", "ReloadResult", "watch_content"]
