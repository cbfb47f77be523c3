"""The pages press serves to people, for the app factory to register."""

from __future__ import annotations

from typing import Any

from litestar.exceptions import NotFoundException
from litestar.types import ControllerRouterHandler

from press.web.about import SiteTextController, about_page
from press.web.console.access import ConsoleAccessController
from press.web.console.audit import ConsoleAuditController
from press.web.console.corrections import ConsoleCorrectionController
from press.web.console.events import ConsoleEventController
from press.web.console.history import ConsoleHistoryController
from press.web.console.media import ConsoleMediaController
from press.web.console.registry import REGISTRY_CONTROLLERS
from press.web.console.releases import ConsoleReleaseController
from press.web.console.second_factor import ConsoleSecondFactorController
from press.web.console.webhooks import ConsoleWebhookController
from press.web.contacts import contacts_page
from press.web.desk_pages import desk_handlers
from press.web.events import event_calendar, events_page
from press.web.front import choose_language, front_page
from press.web.layout import static_files, template_config
from press.web.media_bank import media_bank_page
from press.web.not_found import not_found_handler
from press.web.release import ReleasePageController

__all__ = ["page_exception_handlers", "page_handlers", "template_config"]


def page_handlers() -> list[ControllerRouterHandler]:
    return [
        static_files(),
        choose_language,
        front_page,
        ReleasePageController,
        events_page,
        event_calendar,
        contacts_page,
        media_bank_page,
        about_page,
        SiteTextController,
        *desk_handlers(),
        ConsoleAccessController,
        ConsoleReleaseController,
        ConsoleHistoryController,
        ConsoleCorrectionController,
        ConsoleEventController,
        ConsoleWebhookController,
        ConsoleAuditController,
        *REGISTRY_CONTROLLERS,
        ConsoleSecondFactorController,
        ConsoleMediaController,
    ]


page_exception_handlers: dict[Any, Any] = {NotFoundException: not_found_handler}
