from enum import StrEnum

class RewardType(StrEnum):
    DISCOUNT = "discount"
    GIFT = "gift"
    PRIVILEGE = "privilege"
    VOUCHER = "voucher"

    def __str__(self) -> str:
        return str(self.value)
