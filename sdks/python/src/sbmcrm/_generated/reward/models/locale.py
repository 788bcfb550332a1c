from enum import StrEnum

class Locale(StrEnum):
    CN = "cn"
    EN = "en"
    TH = "th"

    def __str__(self) -> str:
        return str(self.value)
