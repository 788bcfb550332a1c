""" Contains all the data models used in inputs/outputs """

from .cancel_request import CancelRequest
from .catalog import Catalog
from .catalog_spec import CatalogSpec
from .code import Code
from .code_mode import CodeMode
from .codes_upload import CodesUpload
from .eligibility import Eligibility
from .envelope_catalog import EnvelopeCatalog
from .envelope_catalog_data import EnvelopeCatalogData
from .envelope_code import EnvelopeCode
from .envelope_code_data import EnvelopeCodeData
from .envelope_generate_report import EnvelopeGenerateReport
from .envelope_generate_report_data import EnvelopeGenerateReportData
from .envelope_import_report import EnvelopeImportReport
from .envelope_import_report_data import EnvelopeImportReportData
from .envelope_member_reward import EnvelopeMemberReward
from .envelope_member_reward_data import EnvelopeMemberRewardData
from .envelope_page_catalog import EnvelopePageCatalog
from .envelope_page_catalog_data import EnvelopePageCatalogData
from .envelope_page_catalog_data_data_item import EnvelopePageCatalogDataDataItem
from .envelope_page_code import EnvelopePageCode
from .envelope_page_code_data import EnvelopePageCodeData
from .envelope_page_code_data_data_item import EnvelopePageCodeDataDataItem
from .envelope_page_member_reward import EnvelopePageMemberReward
from .envelope_page_member_reward_data import EnvelopePageMemberRewardData
from .envelope_page_member_reward_data_data_item import EnvelopePageMemberRewardDataDataItem
from .envelope_page_redemption import EnvelopePageRedemption
from .envelope_page_redemption_data import EnvelopePageRedemptionData
from .envelope_page_redemption_data_data_item import EnvelopePageRedemptionDataDataItem
from .envelope_page_redemption_data_data_item_snapshot import EnvelopePageRedemptionDataDataItemSnapshot
from .envelope_redemption import EnvelopeRedemption
from .envelope_redemption_data import EnvelopeRedemptionData
from .envelope_redemption_data_snapshot import EnvelopeRedemptionDataSnapshot
from .envelope_reward import EnvelopeReward
from .envelope_reward_data import EnvelopeRewardData
from .error_body import ErrorBody
from .error_envelope import ErrorEnvelope
from .field_error import FieldError
from .generate_codes import GenerateCodes
from .generate_report import GenerateReport
from .import_codes import ImportCodes
from .import_report import ImportReport
from .ineligible import Ineligible
from .invalid_code import InvalidCode
from .limit_period import LimitPeriod
from .locale import Locale
from .member_reward import MemberReward
from .page_meta import PageMeta
from .redeem_request import RedeemRequest
from .redemption import Redemption
from .redemption_snapshot import RedemptionSnapshot
from .reward import Reward
from .reward_catalogs_update_body import RewardCatalogsUpdateBody
from .reward_spec import RewardSpec
from .reward_type import RewardType
from .reward_value_type_0 import RewardValueType0
from .reward_value_type_0_kind import RewardValueType0Kind
from .reward_value_type_1 import RewardValueType1
from .reward_value_type_1_kind import RewardValueType1Kind
from .reward_value_type_2 import RewardValueType2
from .reward_value_type_2_kind import RewardValueType2Kind
from .rewards_update_body import RewardsUpdateBody
from .sort_order import SortOrder
from .use_request import UseRequest
from .visibility import Visibility

__all__ = (
    "CancelRequest",
    "Catalog",
    "CatalogSpec",
    "Code",
    "CodeMode",
    "CodesUpload",
    "Eligibility",
    "EnvelopeCatalog",
    "EnvelopeCatalogData",
    "EnvelopeCode",
    "EnvelopeCodeData",
    "EnvelopeGenerateReport",
    "EnvelopeGenerateReportData",
    "EnvelopeImportReport",
    "EnvelopeImportReportData",
    "EnvelopeMemberReward",
    "EnvelopeMemberRewardData",
    "EnvelopePageCatalog",
    "EnvelopePageCatalogData",
    "EnvelopePageCatalogDataDataItem",
    "EnvelopePageCode",
    "EnvelopePageCodeData",
    "EnvelopePageCodeDataDataItem",
    "EnvelopePageMemberReward",
    "EnvelopePageMemberRewardData",
    "EnvelopePageMemberRewardDataDataItem",
    "EnvelopePageRedemption",
    "EnvelopePageRedemptionData",
    "EnvelopePageRedemptionDataDataItem",
    "EnvelopePageRedemptionDataDataItemSnapshot",
    "EnvelopeRedemption",
    "EnvelopeRedemptionData",
    "EnvelopeRedemptionDataSnapshot",
    "EnvelopeReward",
    "EnvelopeRewardData",
    "ErrorBody",
    "ErrorEnvelope",
    "FieldError",
    "GenerateCodes",
    "GenerateReport",
    "ImportCodes",
    "ImportReport",
    "Ineligible",
    "InvalidCode",
    "LimitPeriod",
    "Locale",
    "MemberReward",
    "PageMeta",
    "RedeemRequest",
    "Redemption",
    "RedemptionSnapshot",
    "Reward",
    "RewardCatalogsUpdateBody",
    "RewardSpec",
    "RewardsUpdateBody",
    "RewardType",
    "RewardValueType0",
    "RewardValueType0Kind",
    "RewardValueType1",
    "RewardValueType1Kind",
    "RewardValueType2",
    "RewardValueType2Kind",
    "SortOrder",
    "UseRequest",
    "Visibility",
)
