from enum import StrEnum

class Measure(StrEnum):
    COUNT = "count"
    DISTINCT_DAYS = "distinct_days"
    DISTINCT_STORES = "distinct_stores"
    SUM_AMOUNT = "sum_amount"
    SUM_POINTS = "sum_points"

    def __str__(self) -> str:
        return str(self.value)
