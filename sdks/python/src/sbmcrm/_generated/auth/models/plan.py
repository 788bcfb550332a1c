from enum import StrEnum

class Plan(StrEnum):
    ENTERPRISE = "enterprise"
    PREMIUM = "premium"
    STANDARD = "standard"

    def __str__(self) -> str:
        return str(self.value)
