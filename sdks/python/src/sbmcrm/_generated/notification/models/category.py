from enum import StrEnum

class Category(StrEnum):
    LOYALTY = "loyalty"
    OFFERS = "offers"
    SYSTEM = "system"
    TRANSACTIONS = "transactions"
    UPDATES = "updates"

    def __str__(self) -> str:
        return str(self.value)
