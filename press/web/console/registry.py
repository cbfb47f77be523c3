"""The journalist registry's console pages, for the page list to register at once."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from press.web.console.contact_actions import ConsoleContactActionController
from press.web.console.contact_files import ConsoleContactFileController
from press.web.console.contacts import ConsoleContactController
from press.web.console.merge import ConsoleMergeController
from press.web.console.outlets import ConsoleOutletController
from press.web.console.privacy import ConsolePrivacyController

# The file routes first: /console/contacts/import and /export.csv are not contact ids.
REGISTRY_CONTROLLERS: list[ControllerRouterHandler] = [
    ConsoleContactFileController,
    ConsoleContactController,
    ConsoleContactActionController,
    ConsoleMergeController,
    ConsolePrivacyController,
    ConsoleOutletController,
]
