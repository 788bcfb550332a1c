from enum import StrEnum

class CodeMode(StrEnum):
    NONE = "none"
    POOL = "pool"
    STATIC = "static"

    def __str__(self) -> str:
        return str(self.value)
