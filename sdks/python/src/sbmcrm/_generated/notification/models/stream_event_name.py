from enum import StrEnum

class StreamEventName(StrEnum):
    BADGE_AWARDED = "badge.awarded"
    NOTIFICATION_CREATED = "notification.created"
    POINTS_EARNED = "points.earned"
    POINTS_EXPIRED = "points.expired"
    POINTS_EXPIRING = "points.expiring"
    POINTS_SPENT = "points.spent"
    RECEIPT_UPDATED = "receipt.updated"
    REDEMPTION_UPDATED = "redemption.updated"
    RESET = "reset"
    TICKET_UPDATED = "ticket.updated"
    TIER_CHANGED = "tier.changed"

    def __str__(self) -> str:
        return str(self.value)
