from enum import StrEnum

class RewardValueType0Kind(StrEnum):
    PERCENT = "percent"

    def __str__(self) -> str:
        return str(self.value)
