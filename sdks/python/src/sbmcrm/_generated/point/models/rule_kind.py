from enum import StrEnum

class RuleKind(StrEnum):
    ACTION = "action"
    PURCHASE = "purchase"

    def __str__(self) -> str:
        return str(self.value)
