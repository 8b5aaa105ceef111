"""Contact requests: a family asks an organisation to get in touch.

The request's times, topics and organisation stay for the statistics; its contact
details (name, phone, email, times that suit, message, the workers' note and who closed
it) are deleted when it has been closed for the retention period (`flask prune`). A
request is linked to no account: not to a parent who sent it signed in, not to a worker.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from companion.accounts.models import Organisation
from companion.extensions import db
from companion.types import UTCDateTime, utcnow

TOPICS = ("sleep", "crying", "rhythm", "coping", "pregnancy", "other")
CONTACT_BY = ("call", "text", "email")
STATUSES = ("open", "contacted", "unreachable")


class ContactRequest(db.Model):
    __tablename__ = "contact_requests"
    __table_args__ = (Index("ix_contact_requests_organisation_status", "organisation_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    language: Mapped[str] = mapped_column(String(5))
    contact_by: Mapped[str] = mapped_column(String(10))
    # The contact details: emptied when the request has been closed long enough.
    name: Mapped[str | None] = mapped_column(String(60))
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    times: Mapped[str | None] = mapped_column(String(200))
    message: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="open")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    #: The name of the worker who closed it, as their colleagues know them (a detail too:
    #: no link to the account, so a worker's account can go without touching requests).
    closed_by: Mapped[str | None] = mapped_column(String(100))
    details_deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship()

    @property
    def is_open(self) -> bool:
        return self.status == "open"
