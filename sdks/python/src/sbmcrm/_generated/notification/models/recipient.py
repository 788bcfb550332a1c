from enum import StrEnum

class Recipient(StrEnum):
    ADDRESS = "address"
    MEMBER = "member"
    STAFF = "staff"

    def __str__(self) -> str:
        return str(self.value)
