from enum import StrEnum

class Visibility(StrEnum):
    ALL = "all"
    TIERS = "tiers"

    def __str__(self) -> str:
        return str(self.value)
