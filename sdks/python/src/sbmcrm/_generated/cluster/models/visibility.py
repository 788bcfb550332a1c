from enum import StrEnum

class Visibility(StrEnum):
    INVITE_ONLY = "invite_only"
    PUBLIC = "public"
    SEASONAL = "seasonal"

    def __str__(self) -> str:
        return str(self.value)
