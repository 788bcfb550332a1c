from enum import StrEnum

class BadgeEvent(StrEnum):
    ACTION = "action"
    POINTS_EARNED = "points_earned"
    PURCHASE = "purchase"
    RECEIPT_APPROVED = "receipt_approved"
    REGISTRATION = "registration"
    TIER_CHANGED = "tier_changed"

    def __str__(self) -> str:
        return str(self.value)
