""" Contains all the data models used in inputs/outputs """

from .adjust_request import AdjustRequest
from .approve_receipt import ApproveReceipt
from .approve_ticket import ApproveTicket
from .balance_view import BalanceView
from .booking import Booking
from .earn_request import EarnRequest
from .envelope_balance_view import EnvelopeBalanceView
from .envelope_balance_view_data import EnvelopeBalanceViewData
from .envelope_booking import EnvelopeBooking
from .envelope_booking_data import EnvelopeBookingData
from .envelope_page_point_rule import EnvelopePagePointRule
from .envelope_page_point_rule_data import EnvelopePagePointRuleData
from .envelope_page_point_rule_data_data_item import EnvelopePagePointRuleDataDataItem
from .envelope_page_receipt import EnvelopePageReceipt
from .envelope_page_receipt_data import EnvelopePageReceiptData
from .envelope_page_receipt_data_data_item import EnvelopePageReceiptDataDataItem
from .envelope_page_ticket import EnvelopePageTicket
from .envelope_page_ticket_data import EnvelopePageTicketData
from .envelope_page_ticket_data_data_item import EnvelopePageTicketDataDataItem
from .envelope_page_transaction import EnvelopePageTransaction
from .envelope_page_transaction_data import EnvelopePageTransactionData
from .envelope_page_transaction_data_data_item import EnvelopePageTransactionDataDataItem
from .envelope_point_rule import EnvelopePointRule
from .envelope_point_rule_data import EnvelopePointRuleData
from .envelope_receipt import EnvelopeReceipt
from .envelope_receipt_data import EnvelopeReceiptData
from .envelope_receipt_decision import EnvelopeReceiptDecision
from .envelope_receipt_decision_data import EnvelopeReceiptDecisionData
from .envelope_simulation import EnvelopeSimulation
from .envelope_simulation_data import EnvelopeSimulationData
from .envelope_ticket import EnvelopeTicket
from .envelope_ticket_data import EnvelopeTicketData
from .envelope_ticket_decision import EnvelopeTicketDecision
from .envelope_ticket_decision_data import EnvelopeTicketDecisionData
from .envelope_transaction import EnvelopeTransaction
from .envelope_transaction_data import EnvelopeTransactionData
from .error_body import ErrorBody
from .error_envelope import ErrorEnvelope
from .expiring_lot import ExpiringLot
from .field_error import FieldError
from .locale import Locale
from .new_ticket import NewTicket
from .page_meta import PageMeta
from .point_rule import PointRule
from .point_rules_update_body import PointRulesUpdateBody
from .purchase import Purchase
from .receipt import Receipt
from .receipt_decision import ReceiptDecision
from .receipt_upload import ReceiptUpload
from .reject_request import RejectRequest
from .reverse_request import ReverseRequest
from .rule_kind import RuleKind
from .rule_outcome import RuleOutcome
from .rule_spec import RuleSpec
from .rule_spec_tier_multipliers import RuleSpecTierMultipliers
from .simulate_request import SimulateRequest
from .simulation import Simulation
from .sort_order import SortOrder
from .spend_request import SpendRequest
from .ticket import Ticket
from .ticket_decision import TicketDecision
from .transaction import Transaction

__all__ = (
    "AdjustRequest",
    "ApproveReceipt",
    "ApproveTicket",
    "BalanceView",
    "Booking",
    "EarnRequest",
    "EnvelopeBalanceView",
    "EnvelopeBalanceViewData",
    "EnvelopeBooking",
    "EnvelopeBookingData",
    "EnvelopePagePointRule",
    "EnvelopePagePointRuleData",
    "EnvelopePagePointRuleDataDataItem",
    "EnvelopePageReceipt",
    "EnvelopePageReceiptData",
    "EnvelopePageReceiptDataDataItem",
    "EnvelopePageTicket",
    "EnvelopePageTicketData",
    "EnvelopePageTicketDataDataItem",
    "EnvelopePageTransaction",
    "EnvelopePageTransactionData",
    "EnvelopePageTransactionDataDataItem",
    "EnvelopePointRule",
    "EnvelopePointRuleData",
    "EnvelopeReceipt",
    "EnvelopeReceiptData",
    "EnvelopeReceiptDecision",
    "EnvelopeReceiptDecisionData",
    "EnvelopeSimulation",
    "EnvelopeSimulationData",
    "EnvelopeTicket",
    "EnvelopeTicketData",
    "EnvelopeTicketDecision",
    "EnvelopeTicketDecisionData",
    "EnvelopeTransaction",
    "EnvelopeTransactionData",
    "ErrorBody",
    "ErrorEnvelope",
    "ExpiringLot",
    "FieldError",
    "Locale",
    "NewTicket",
    "PageMeta",
    "PointRule",
    "PointRulesUpdateBody",
    "Purchase",
    "Receipt",
    "ReceiptDecision",
    "ReceiptUpload",
    "RejectRequest",
    "ReverseRequest",
    "RuleKind",
    "RuleOutcome",
    "RuleSpec",
    "RuleSpecTierMultipliers",
    "SimulateRequest",
    "Simulation",
    "SortOrder",
    "SpendRequest",
    "Ticket",
    "TicketDecision",
    "Transaction",
)
