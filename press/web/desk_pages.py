"""The journalist's desk's pages, for press.web.pages to register."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from press.web import desk, desk_preferences, desk_privacy, reading_room


def desk_handlers() -> list[ControllerRouterHandler]:
    return [
        desk.subscribe_page,
        desk.subscribe,
        desk.confirm_page,
        desk.confirm_subscription,
        desk_preferences.preferences_page,
        desk_preferences.change_preferences,
        desk_preferences.unsubscribe_page,
        desk_preferences.unsubscribe,
        desk_privacy.privacy_page,
        desk_privacy.ask_privacy,
        desk_privacy.privacy_link_page,
        desk_privacy.act_on_privacy_link,
        reading_room.sign_in_page,
        reading_room.ask_sign_in_link,
        reading_room.magic_link_page,
        reading_room.sign_in,
        reading_room.room_page,
        reading_room.room_release_page,
        reading_room.sign_out,
    ]
