"""E-mail destinations, over a real SMTP server on 127.0.0.1 with STARTTLS and a login (aiosmtpd, trustme)."""

from __future__ import annotations

import pytest

from bot.contact import (
    DeliveryError,
    EmailDeliverer,
    OutboxSender,
    RequestDesk,
    RequestRecord,
    RetryPolicy,
    status_items,
    submission,
)
from bot.golden import Clock
from bot.store import MemoryStore, OutboxItem
from tests.auxil.contact import ALI_TEST, CREATED, EMAIL_ONLY, a_request
from tests.auxil.smtp import PASSWORD, SmtpServer


def email_items(request_changes: dict[str, object] | None = None) -> tuple[RequestRecord, OutboxItem]:
    sent = submission(a_request(**(request_changes or {})), ALI_TEST)
    return sent.record, next(i for i in sent.outbox if i.channel == "email")


async def test_a_request_reaches_the_team_mailbox_over_starttls() -> None:
    _, item = email_items({"first_name": "Sami <script>&", "health": "oui"})
    with SmtpServer() as smtp:
        remote = await EmailDeliverer(smtp.settings(), smtp.client_tls, Clock()).deliver(item)
    (message,) = smtp.messages
    assert smtp.inbox.recipients == [["ali-test@example.org"]]
    assert remote == message["Message-ID"] == f"<R-7K3Q.{int(CREATED)}@example.org>"
    assert message["Subject"] == "Demande de contact R-7K3Q"  # nothing about the person in the subject
    assert message["From"] == "Assistant RSA 93 <assistant-rsa@example.org>"
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "À rappeler : Sami <script>&, au +33612345678, le matin" in text
    assert "Langue : arabe, parle un peu français" in text and "Ville : Clichy-sous-Bois" in text
    assert "Santé : un handicap ou un problème de santé gêne pour travailler" in text
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "Sami &lt;script&gt;&amp;" in html and "<script>" not in html


async def test_the_notices_thread_with_the_request() -> None:
    record, _ = email_items()
    taken = record.changed("taken", CREATED + 60, "Fatima <B.>")
    item = next(i for i in status_items(taken) if i.channel == "email")
    with SmtpServer() as smtp:
        await EmailDeliverer(smtp.settings(), smtp.client_tls).deliver(item)
    (message,) = smtp.messages
    first = f"<R-7K3Q.{int(CREATED)}@example.org>"
    assert message["In-Reply-To"] == first and message["References"] == first
    assert message["Message-ID"] == f"<R-7K3Q.{int(CREATED)}.taken@example.org>"
    assert message["Subject"] == "Demande de contact R-7K3Q : prise en charge"
    assert "prise en charge par Fatima <B.>" in message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Fatima &lt;B.&gt;" in message.get_body(("html",)).get_content()  # type: ignore[union-attr]


async def test_sent_again_after_a_crash_it_is_the_same_message() -> None:
    _, item = email_items()
    with SmtpServer() as smtp:
        deliverer = EmailDeliverer(smtp.settings(), smtp.client_tls)
        assert await deliverer.deliver(item) == await deliverer.deliver(item)
    assert len({m["Message-ID"] for m in smtp.messages}) == 1


async def test_a_refused_login_is_an_error_someone_must_fix() -> None:
    _, item = email_items()
    with SmtpServer() as smtp, pytest.raises(DeliveryError) as refused:
        await EmailDeliverer(smtp.settings(password="wrong-test-password"), smtp.client_tls).deliver(item)
    assert not refused.value.temporary
    assert "BOT_SMTP_PASSWORD" in str(refused.value) and "wrong-test-password" not in str(refused.value)
    assert smtp.messages == []


async def test_a_server_without_starttls_is_refused_when_starttls_is_on() -> None:
    _, item = email_items()
    with SmtpServer(starttls=False) as smtp, pytest.raises(DeliveryError) as refused:
        await EmailDeliverer(smtp.settings(), smtp.client_tls).deliver(item)
    assert not refused.value.temporary and smtp.messages == []


async def test_a_certificate_nobody_vouches_for_is_refused() -> None:
    _, item = email_items()
    with SmtpServer() as smtp, pytest.raises(DeliveryError) as refused:
        await EmailDeliverer(smtp.settings()).deliver(item)  # the system's authorities, not the test CA
    assert not refused.value.temporary and smtp.messages == []


async def test_a_server_that_is_down_is_retried_and_the_request_arrives_once() -> None:
    store, now = MemoryStore(), Clock(CREATED)
    sent = submission(a_request(destination=EMAIL_ONLY), EMAIL_ONLY)
    await store.save(sent.record.request.chat_key, "{}", CREATED, [], [sent.row], sent.outbox)
    smtp = SmtpServer()  # made, not started: nothing listens on its port yet
    sender = OutboxSender(store, {"email": EmailDeliverer(smtp.settings(), smtp.client_tls)}, clock=now,
                          retention=None, draw=lambda: 0.0, retry=RetryPolicy(first_delay=10))
    assert await sender.deliver_due() == 0
    (waiting,) = await store.due_outbox(CREATED + 10)
    assert waiting.attempts == 1 and "cannot be reached" in (waiting.last_error or "")
    with smtp:  # the server is back
        now.advance(10)
        assert await sender.deliver_due() == 1
        assert await sender.deliver_due() == 0
    assert [m["Subject"] for m in smtp.messages] == ["Demande de contact R-7K3Q"]


async def test_the_password_is_never_shown() -> None:
    with SmtpServer() as smtp:
        settings = smtp.settings()
    assert PASSWORD not in repr(settings) and PASSWORD not in str(settings)


async def test_an_e_mail_destination_gets_no_relay_and_no_person_notice() -> None:
    store = MemoryStore()
    sent = submission(a_request(destination=EMAIL_ONLY), EMAIL_ONLY)
    await store.save(sent.record.request.chat_key, "{}", CREATED, [], [sent.row], sent.outbox)
    outcome = await RequestDesk(store, Clock(CREATED)).take("R-7K3Q", "Fatima B.")
    assert outcome.done
    relay = OutboxItem("x", "email", "equipe-test@example.org", "relay", '{"ref": "R-7K3Q", "text": "bonjour"}',
                       ref="R-7K3Q")
    with SmtpServer() as smtp, pytest.raises(DeliveryError) as refused:
        await EmailDeliverer(smtp.settings(), smtp.client_tls).deliver(relay)
    assert not refused.value.temporary
