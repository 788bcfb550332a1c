from enum import StrEnum

class DowngradePolicy(StrEnum):
    NEVER = "never"
    ONE_DOWN = "one_down"
    TO_QUALIFYING = "to_qualifying"

    def __str__(self) -> str:
        return str(self.value)
