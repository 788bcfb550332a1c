from enum import StrEnum

class Ineligible(StrEnum):
    LIMIT = "limit"
    POINTS = "points"
    STOCK = "stock"
    TIER = "tier"
    WINDOW = "window"

    def __str__(self) -> str:
        return str(self.value)
