from enum import StrEnum

class RewardValueType2Kind(StrEnum):
    ITEM = "item"

    def __str__(self) -> str:
        return str(self.value)
