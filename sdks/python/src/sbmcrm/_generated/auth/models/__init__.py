""" Contains all the data models used in inputs/outputs """

from .api_key_view import ApiKeyView
from .api_key_with_secret import ApiKeyWithSecret
from .consent_document import ConsentDocument
from .consent_record import ConsentRecord
from .create_api_key import CreateApiKey
from .create_staff import CreateStaff
from .enrol_member import EnrolMember
from .envelope_api_key_view import EnvelopeApiKeyView
from .envelope_api_key_view_data import EnvelopeApiKeyViewData
from .envelope_api_key_with_secret import EnvelopeApiKeyWithSecret
from .envelope_api_key_with_secret_data import EnvelopeApiKeyWithSecretData
from .envelope_consent_document import EnvelopeConsentDocument
from .envelope_consent_document_data import EnvelopeConsentDocumentData
from .envelope_consent_record import EnvelopeConsentRecord
from .envelope_consent_record_data import EnvelopeConsentRecordData
from .envelope_logged_out import EnvelopeLoggedOut
from .envelope_logged_out_data import EnvelopeLoggedOutData
from .envelope_member_session import EnvelopeMemberSession
from .envelope_member_session_data import EnvelopeMemberSessionData
from .envelope_member_view import EnvelopeMemberView
from .envelope_member_view_data import EnvelopeMemberViewData
from .envelope_page_api_key_view import EnvelopePageApiKeyView
from .envelope_page_api_key_view_data import EnvelopePageApiKeyViewData
from .envelope_page_api_key_view_data_data_item import EnvelopePageApiKeyViewDataDataItem
from .envelope_page_consent_document import EnvelopePageConsentDocument
from .envelope_page_consent_document_data import EnvelopePageConsentDocumentData
from .envelope_page_consent_document_data_data_item import EnvelopePageConsentDocumentDataDataItem
from .envelope_page_member_view import EnvelopePageMemberView
from .envelope_page_member_view_data import EnvelopePageMemberViewData
from .envelope_page_member_view_data_data_item import EnvelopePageMemberViewDataDataItem
from .envelope_page_staff_view import EnvelopePageStaffView
from .envelope_page_staff_view_data import EnvelopePageStaffViewData
from .envelope_page_staff_view_data_data_item import EnvelopePageStaffViewDataDataItem
from .envelope_qr_code import EnvelopeQrCode
from .envelope_qr_code_data import EnvelopeQrCodeData
from .envelope_refreshed_tokens import EnvelopeRefreshedTokens
from .envelope_refreshed_tokens_data import EnvelopeRefreshedTokensData
from .envelope_reset_answer import EnvelopeResetAnswer
from .envelope_reset_answer_data import EnvelopeResetAnswerData
from .envelope_session_check import EnvelopeSessionCheck
from .envelope_session_check_data import EnvelopeSessionCheckData
from .envelope_staff_view import EnvelopeStaffView
from .envelope_staff_view_data import EnvelopeStaffViewData
from .envelope_token_pair import EnvelopeTokenPair
from .envelope_token_pair_data import EnvelopeTokenPairData
from .envelope_vec_consent_document import EnvelopeVecConsentDocument
from .envelope_vec_consent_document_data_item import EnvelopeVecConsentDocumentDataItem
from .envelope_vec_consent_record import EnvelopeVecConsentRecord
from .envelope_vec_consent_record_data_item import EnvelopeVecConsentRecordDataItem
from .error_body import ErrorBody
from .error_envelope import ErrorEnvelope
from .field_error import FieldError
from .locale import Locale
from .logged_out import LoggedOut
from .login_request import LoginRequest
from .member_session import MemberSession
from .member_view import MemberView
from .new_consent_document import NewConsentDocument
from .page_meta import PageMeta
from .plan import Plan
from .profile_fields import ProfileFields
from .qr_code import QrCode
from .record_consent import RecordConsent
from .refresh_request import RefreshRequest
from .refreshed_tokens import RefreshedTokens
from .reset_answer import ResetAnswer
from .reset_confirm import ResetConfirm
from .reset_request import ResetRequest
from .role import Role
from .session_check import SessionCheck
from .session_jwks_response_200 import SessionJwksResponse200
from .session_valid import SessionValid
from .sort_order import SortOrder
from .staff_view import StaffView
from .token_pair import TokenPair
from .update_api_key import UpdateApiKey
from .update_staff import UpdateStaff
from .verify_qr import VerifyQr
from .wechat_login import WechatLogin

__all__ = (
    "ApiKeyView",
    "ApiKeyWithSecret",
    "ConsentDocument",
    "ConsentRecord",
    "CreateApiKey",
    "CreateStaff",
    "EnrolMember",
    "EnvelopeApiKeyView",
    "EnvelopeApiKeyViewData",
    "EnvelopeApiKeyWithSecret",
    "EnvelopeApiKeyWithSecretData",
    "EnvelopeConsentDocument",
    "EnvelopeConsentDocumentData",
    "EnvelopeConsentRecord",
    "EnvelopeConsentRecordData",
    "EnvelopeLoggedOut",
    "EnvelopeLoggedOutData",
    "EnvelopeMemberSession",
    "EnvelopeMemberSessionData",
    "EnvelopeMemberView",
    "EnvelopeMemberViewData",
    "EnvelopePageApiKeyView",
    "EnvelopePageApiKeyViewData",
    "EnvelopePageApiKeyViewDataDataItem",
    "EnvelopePageConsentDocument",
    "EnvelopePageConsentDocumentData",
    "EnvelopePageConsentDocumentDataDataItem",
    "EnvelopePageMemberView",
    "EnvelopePageMemberViewData",
    "EnvelopePageMemberViewDataDataItem",
    "EnvelopePageStaffView",
    "EnvelopePageStaffViewData",
    "EnvelopePageStaffViewDataDataItem",
    "EnvelopeQrCode",
    "EnvelopeQrCodeData",
    "EnvelopeRefreshedTokens",
    "EnvelopeRefreshedTokensData",
    "EnvelopeResetAnswer",
    "EnvelopeResetAnswerData",
    "EnvelopeSessionCheck",
    "EnvelopeSessionCheckData",
    "EnvelopeStaffView",
    "EnvelopeStaffViewData",
    "EnvelopeTokenPair",
    "EnvelopeTokenPairData",
    "EnvelopeVecConsentDocument",
    "EnvelopeVecConsentDocumentDataItem",
    "EnvelopeVecConsentRecord",
    "EnvelopeVecConsentRecordDataItem",
    "ErrorBody",
    "ErrorEnvelope",
    "FieldError",
    "Locale",
    "LoggedOut",
    "LoginRequest",
    "MemberSession",
    "MemberView",
    "NewConsentDocument",
    "PageMeta",
    "Plan",
    "ProfileFields",
    "QrCode",
    "RecordConsent",
    "RefreshedTokens",
    "RefreshRequest",
    "ResetAnswer",
    "ResetConfirm",
    "ResetRequest",
    "Role",
    "SessionCheck",
    "SessionJwksResponse200",
    "SessionValid",
    "SortOrder",
    "StaffView",
    "TokenPair",
    "UpdateApiKey",
    "UpdateStaff",
    "VerifyQr",
    "WechatLogin",
)
