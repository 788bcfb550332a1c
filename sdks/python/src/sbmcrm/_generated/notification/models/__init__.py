""" Contains all the data models used in inputs/outputs """

from .action import Action
from .action_spec import ActionSpec
from .audience_kind import AudienceKind
from .broadcast import Broadcast
from .broadcast_spec import BroadcastSpec
from .category import Category
from .condition import Condition
from .condition_value import ConditionValue
from .delivery import Delivery
from .envelope_action import EnvelopeAction
from .envelope_action_data import EnvelopeActionData
from .envelope_broadcast import EnvelopeBroadcast
from .envelope_broadcast_data import EnvelopeBroadcastData
from .envelope_delivery import EnvelopeDelivery
from .envelope_delivery_data import EnvelopeDeliveryData
from .envelope_notification import EnvelopeNotification
from .envelope_notification_data import EnvelopeNotificationData
from .envelope_notification_data_data import EnvelopeNotificationDataData
from .envelope_page_action import EnvelopePageAction
from .envelope_page_action_data import EnvelopePageActionData
from .envelope_page_action_data_data_item import EnvelopePageActionDataDataItem
from .envelope_page_broadcast import EnvelopePageBroadcast
from .envelope_page_broadcast_data import EnvelopePageBroadcastData
from .envelope_page_broadcast_data_data_item import EnvelopePageBroadcastDataDataItem
from .envelope_page_delivery import EnvelopePageDelivery
from .envelope_page_delivery_data import EnvelopePageDeliveryData
from .envelope_page_delivery_data_data_item import EnvelopePageDeliveryDataDataItem
from .envelope_page_notification import EnvelopePageNotification
from .envelope_page_notification_data import EnvelopePageNotificationData
from .envelope_page_notification_data_data_item import EnvelopePageNotificationDataDataItem
from .envelope_page_notification_data_data_item_data import EnvelopePageNotificationDataDataItemData
from .envelope_page_sender import EnvelopePageSender
from .envelope_page_sender_data import EnvelopePageSenderData
from .envelope_page_sender_data_data_item import EnvelopePageSenderDataDataItem
from .envelope_page_template import EnvelopePageTemplate
from .envelope_page_template_data import EnvelopePageTemplateData
from .envelope_page_template_data_data_item import EnvelopePageTemplateDataDataItem
from .envelope_preferences import EnvelopePreferences
from .envelope_preferences_data import EnvelopePreferencesData
from .envelope_preferences_data_categories import EnvelopePreferencesDataCategories
from .envelope_preferences_data_channels import EnvelopePreferencesDataChannels
from .envelope_read_all import EnvelopeReadAll
from .envelope_read_all_data import EnvelopeReadAllData
from .envelope_rendered import EnvelopeRendered
from .envelope_rendered_data import EnvelopeRenderedData
from .envelope_sender import EnvelopeSender
from .envelope_sender_data import EnvelopeSenderData
from .envelope_template import EnvelopeTemplate
from .envelope_template_data import EnvelopeTemplateData
from .envelope_test_result import EnvelopeTestResult
from .envelope_test_result_data import EnvelopeTestResultData
from .envelope_unread_count import EnvelopeUnreadCount
from .envelope_unread_count_data import EnvelopeUnreadCountData
from .envelope_unread_count_data_by_category import EnvelopeUnreadCountDataByCategory
from .error_body import ErrorBody
from .error_envelope import ErrorEnvelope
from .field_error import FieldError
from .locale import Locale
from .mail_update_action_body import MailUpdateActionBody
from .mail_update_template_body import MailUpdateTemplateBody
from .mark_request import MarkRequest
from .notification import Notification
from .notification_data import NotificationData
from .op import Op
from .page_meta import PageMeta
from .preferences import Preferences
from .preferences_categories import PreferencesCategories
from .preferences_channels import PreferencesChannels
from .preview_request import PreviewRequest
from .preview_request_variables import PreviewRequestVariables
from .quiet_hours import QuietHours
from .read_all import ReadAll
from .read_all_request import ReadAllRequest
from .recipient import Recipient
from .rendered import Rendered
from .security import Security
from .sender import Sender
from .sender_spec import SenderSpec
from .sort_order import SortOrder
from .stream_event import StreamEvent
from .stream_event_data import StreamEventData
from .stream_event_name import StreamEventName
from .template import Template
from .template_spec import TemplateSpec
from .template_spec_locales import TemplateSpecLocales
from .test_request import TestRequest
from .test_result import TestResult
from .texts import Texts
from .unread_count import UnreadCount
from .unread_count_by_category import UnreadCountByCategory
from .variable import Variable

__all__ = (
    "Action",
    "ActionSpec",
    "AudienceKind",
    "Broadcast",
    "BroadcastSpec",
    "Category",
    "Condition",
    "ConditionValue",
    "Delivery",
    "EnvelopeAction",
    "EnvelopeActionData",
    "EnvelopeBroadcast",
    "EnvelopeBroadcastData",
    "EnvelopeDelivery",
    "EnvelopeDeliveryData",
    "EnvelopeNotification",
    "EnvelopeNotificationData",
    "EnvelopeNotificationDataData",
    "EnvelopePageAction",
    "EnvelopePageActionData",
    "EnvelopePageActionDataDataItem",
    "EnvelopePageBroadcast",
    "EnvelopePageBroadcastData",
    "EnvelopePageBroadcastDataDataItem",
    "EnvelopePageDelivery",
    "EnvelopePageDeliveryData",
    "EnvelopePageDeliveryDataDataItem",
    "EnvelopePageNotification",
    "EnvelopePageNotificationData",
    "EnvelopePageNotificationDataDataItem",
    "EnvelopePageNotificationDataDataItemData",
    "EnvelopePageSender",
    "EnvelopePageSenderData",
    "EnvelopePageSenderDataDataItem",
    "EnvelopePageTemplate",
    "EnvelopePageTemplateData",
    "EnvelopePageTemplateDataDataItem",
    "EnvelopePreferences",
    "EnvelopePreferencesData",
    "EnvelopePreferencesDataCategories",
    "EnvelopePreferencesDataChannels",
    "EnvelopeReadAll",
    "EnvelopeReadAllData",
    "EnvelopeRendered",
    "EnvelopeRenderedData",
    "EnvelopeSender",
    "EnvelopeSenderData",
    "EnvelopeTemplate",
    "EnvelopeTemplateData",
    "EnvelopeTestResult",
    "EnvelopeTestResultData",
    "EnvelopeUnreadCount",
    "EnvelopeUnreadCountData",
    "EnvelopeUnreadCountDataByCategory",
    "ErrorBody",
    "ErrorEnvelope",
    "FieldError",
    "Locale",
    "MailUpdateActionBody",
    "MailUpdateTemplateBody",
    "MarkRequest",
    "Notification",
    "NotificationData",
    "Op",
    "PageMeta",
    "Preferences",
    "PreferencesCategories",
    "PreferencesChannels",
    "PreviewRequest",
    "PreviewRequestVariables",
    "QuietHours",
    "ReadAll",
    "ReadAllRequest",
    "Recipient",
    "Rendered",
    "Security",
    "Sender",
    "SenderSpec",
    "SortOrder",
    "StreamEvent",
    "StreamEventData",
    "StreamEventName",
    "Template",
    "TemplateSpec",
    "TemplateSpecLocales",
    "TestRequest",
    "TestResult",
    "Texts",
    "UnreadCount",
    "UnreadCountByCategory",
    "Variable",
)
