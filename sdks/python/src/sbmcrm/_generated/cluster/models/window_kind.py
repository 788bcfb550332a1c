from enum import StrEnum

class WindowKind(StrEnum):
    CALENDAR_MONTH = "calendar_month"
    CALENDAR_WEEK = "calendar_week"
    FIXED = "fixed"
    LIFETIME = "lifetime"
    ROLLING_DAYS = "rolling_days"

    def __str__(self) -> str:
        return str(self.value)
