from enum import StrEnum

class Metric(StrEnum):
    POINTS_EARNED = "points_earned"
    PURCHASE_AMOUNT = "purchase_amount"

    def __str__(self) -> str:
        return str(self.value)
