"""Requests to be contacted: routing, the request and its record, the outbox it causes, the sender, e-mail.

The conversation (bot/engine) builds a ContactRequest once the person said yes, and the step that confirms it
saves ``submission(request, destination)`` with its state (Store.save: the request row and its outbox items in the
same transaction). The OutboxSender delivers the items through a Deliverer per channel (EmailDeliverer here, the
Telegram ones in the adapter); RequestDesk takes, finishes and cancels requests. See docs/requests.md.
"""

from ..content.routing import Destination, Routing, route
from ..matching.phone import PhoneCheck, PhoneProblem, check_phone, shared_phone
from .desk import Outcome, RequestDesk
from .mail import EmailDeliverer, message_id
from .models import CallTime, ContactRequest, Reach, RequestRecord
from .outbox import (
    Notice,
    Submission,
    admin_item,
    read_notice,
    relay_to_person,
    relay_to_staff,
    staff_targets,
    status_items,
    submission,
)
from .reference import find_reference, make_reference, new_reference
from .routing import STAFF_CHAT_ID, STAFF_TEAM, ali_cards_of, destination_for, with_staff_chat
from .sender import Alert, Deliverer, DeliveryError, OutboxSender, Retention, RetryPolicy
from .settings import ContactSettings, SmtpSettings
from .summary import (
    email_html,
    email_subject,
    email_text,
    notice_text,
    relay_html,
    staff_buttons,
    staff_html,
)

__all__ = [
    "STAFF_CHAT_ID", "STAFF_TEAM", "Alert", "CallTime", "ContactRequest", "ContactSettings", "Deliverer",
    "DeliveryError", "Destination", "EmailDeliverer", "Notice", "OutboxSender", "Outcome", "PhoneCheck", "PhoneProblem",
    "Reach", "RequestDesk", "RequestRecord", "Retention", "RetryPolicy", "Routing", "SmtpSettings", "Submission",
    "admin_item", "ali_cards_of", "check_phone", "destination_for", "email_html", "email_subject", "email_text",
    "find_reference", "make_reference", "message_id", "new_reference", "notice_text", "read_notice",
    "relay_html", "relay_to_person", "relay_to_staff", "route", "shared_phone", "staff_buttons", "staff_html",
    "staff_targets", "status_items", "submission", "with_staff_chat",
]
