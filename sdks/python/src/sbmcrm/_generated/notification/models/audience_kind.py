from enum import StrEnum

class AudienceKind(StrEnum):
    ALL = "all"
    INTERESTS = "interests"
    MEMBERS = "members"
    TIERS = "tiers"

    def __str__(self) -> str:
        return str(self.value)
