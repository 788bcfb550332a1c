""" Contains all the data models used in inputs/outputs """

from .award_request import AwardRequest
from .badge import Badge
from .badge_award import BadgeAward
from .badge_brief import BadgeBrief
from .badge_event import BadgeEvent
from .badge_progress import BadgeProgress
from .badge_spec import BadgeSpec
from .badges_update_body import BadgesUpdateBody
from .benefit import Benefit
from .criteria import Criteria
from .downgrade import Downgrade
from .downgrade_policy import DowngradePolicy
from .envelope_badge import EnvelopeBadge
from .envelope_badge_award import EnvelopeBadgeAward
from .envelope_badge_award_data import EnvelopeBadgeAwardData
from .envelope_badge_data import EnvelopeBadgeData
from .envelope_interest import EnvelopeInterest
from .envelope_interest_data import EnvelopeInterestData
from .envelope_page_badge import EnvelopePageBadge
from .envelope_page_badge_data import EnvelopePageBadgeData
from .envelope_page_badge_data_data_item import EnvelopePageBadgeDataDataItem
from .envelope_page_badge_progress import EnvelopePageBadgeProgress
from .envelope_page_badge_progress_data import EnvelopePageBadgeProgressData
from .envelope_page_badge_progress_data_data_item import EnvelopePageBadgeProgressDataDataItem
from .envelope_page_history_entry import EnvelopePageHistoryEntry
from .envelope_page_history_entry_data import EnvelopePageHistoryEntryData
from .envelope_page_history_entry_data_data_item import EnvelopePageHistoryEntryDataDataItem
from .envelope_page_interest import EnvelopePageInterest
from .envelope_page_interest_data import EnvelopePageInterestData
from .envelope_page_interest_data_data_item import EnvelopePageInterestDataDataItem
from .envelope_tier import EnvelopeTier
from .envelope_tier_data import EnvelopeTierData
from .envelope_tier_list import EnvelopeTierList
from .envelope_tier_list_data import EnvelopeTierListData
from .envelope_tier_projection import EnvelopeTierProjection
from .envelope_tier_projection_data import EnvelopeTierProjectionData
from .envelope_vec_interest import EnvelopeVecInterest
from .envelope_vec_interest_data_item import EnvelopeVecInterestDataItem
from .error_body import ErrorBody
from .error_envelope import ErrorEnvelope
from .field_error import FieldError
from .filters import Filters
from .history_entry import HistoryEntry
from .interest import Interest
from .interest_spec import InterestSpec
from .interests_update_body import InterestsUpdateBody
from .keep import Keep
from .locale import Locale
from .measure import Measure
from .metric import Metric
from .next_tier import NextTier
from .override import Override
from .override_request import OverrideRequest
from .page_meta import PageMeta
from .page_tier import PageTier
from .page_tier_data_item import PageTierDataItem
from .projected import Projected
from .qualification import Qualification
from .qualifying_measure import QualifyingMeasure
from .replace_interests import ReplaceInterests
from .retention import Retention
from .revoke_request import RevokeRequest
from .sort_order import SortOrder
from .tier import Tier
from .tier_brief import TierBrief
from .tier_list import TierList
from .tier_projection import TierProjection
from .tier_spec import TierSpec
from .tier_window_kind import TierWindowKind
from .tiers_update_body import TiersUpdateBody
from .visibility import Visibility
from .window import Window
from .window_kind import WindowKind

__all__ = (
    "AwardRequest",
    "Badge",
    "BadgeAward",
    "BadgeBrief",
    "BadgeEvent",
    "BadgeProgress",
    "BadgeSpec",
    "BadgesUpdateBody",
    "Benefit",
    "Criteria",
    "Downgrade",
    "DowngradePolicy",
    "EnvelopeBadge",
    "EnvelopeBadgeAward",
    "EnvelopeBadgeAwardData",
    "EnvelopeBadgeData",
    "EnvelopeInterest",
    "EnvelopeInterestData",
    "EnvelopePageBadge",
    "EnvelopePageBadgeData",
    "EnvelopePageBadgeDataDataItem",
    "EnvelopePageBadgeProgress",
    "EnvelopePageBadgeProgressData",
    "EnvelopePageBadgeProgressDataDataItem",
    "EnvelopePageHistoryEntry",
    "EnvelopePageHistoryEntryData",
    "EnvelopePageHistoryEntryDataDataItem",
    "EnvelopePageInterest",
    "EnvelopePageInterestData",
    "EnvelopePageInterestDataDataItem",
    "EnvelopeTier",
    "EnvelopeTierData",
    "EnvelopeTierList",
    "EnvelopeTierListData",
    "EnvelopeTierProjection",
    "EnvelopeTierProjectionData",
    "EnvelopeVecInterest",
    "EnvelopeVecInterestDataItem",
    "ErrorBody",
    "ErrorEnvelope",
    "FieldError",
    "Filters",
    "HistoryEntry",
    "Interest",
    "InterestSpec",
    "InterestsUpdateBody",
    "Keep",
    "Locale",
    "Measure",
    "Metric",
    "NextTier",
    "Override",
    "OverrideRequest",
    "PageMeta",
    "PageTier",
    "PageTierDataItem",
    "Projected",
    "Qualification",
    "QualifyingMeasure",
    "ReplaceInterests",
    "Retention",
    "RevokeRequest",
    "SortOrder",
    "Tier",
    "TierBrief",
    "TierList",
    "TierProjection",
    "TierSpec",
    "TiersUpdateBody",
    "TierWindowKind",
    "Visibility",
    "Window",
    "WindowKind",
)
