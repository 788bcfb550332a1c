from enum import StrEnum

class TierWindowKind(StrEnum):
    CALENDAR_YEAR = "calendar_year"
    LIFETIME = "lifetime"
    ROLLING_MONTHS = "rolling_months"

    def __str__(self) -> str:
        return str(self.value)
