from enum import StrEnum

class RewardValueType1Kind(StrEnum):
    FIXED = "fixed"

    def __str__(self) -> str:
        return str(self.value)
