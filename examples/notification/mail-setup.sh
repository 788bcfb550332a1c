#!/usr/bin/env sh
# Mail from events, set up over the API: a sender, two templates, and the actions that send
# "you earned points" to members (in their language) and password reset links to staff.
# Needs a staff token with mail:manage (a manager or an admin) and an SMTP server:
#   TOKEN=… SMTP_HOST=smtp.example.com SMTP_USER=… SMTP_PASSWORD=… sh mail-setup.sh
set -eu
B=${B:-http://localhost:8080/notification/api}
H="authorization: Bearer $TOKEN"
J='content-type: application/json'

# 1. The sender. The password is write-only: the answer says only "passwordSet": true.
SENDER=$(curl -s "$B/mail-senders" -H "$H" -H "$J" -d "{
  \"name\": \"Loyalty desk\", \"fromEmail\": \"loyalty@example.com\", \"fromName\": \"Example Loyalty\",
  \"host\": \"$SMTP_HOST\", \"port\": 587, \"security\": \"starttls\",
  \"username\": \"$SMTP_USER\", \"password\": \"$SMTP_PASSWORD\"}" | jq -r .data.id)
# A real test message (a 502 carries the SMTP server's refusal).
curl -s "$B/mail-senders/$SENDER/test" -H "$H" -H "$J" -d '{"to": "ops@example.com"}'

# 2. Templates: minijinja, HTML auto-escaped; only declared variables may be used.
EARNED=$(curl -s "$B/mail-templates" -H "$H" -H "$J" -d '{
  "code": "points-earned", "name": "Points earned",
  "variables": [{"name": "points", "required": true}, {"name": "balance", "required": true}, {"name": "firstName"}],
  "locales": {
    "en": {"subject": "You earned {{ points }} points",
           "html": "<p>Hi {{ firstName }}, your balance is <b>{{ balance }}</b>.</p>",
           "text": "Hi {{ firstName }}, your balance is {{ balance }}."},
    "th": {"subject": "คุณได้รับ {{ points }} คะแนน",
           "html": "<p>สวัสดี {{ firstName }} ยอดคะแนน <b>{{ balance }}</b></p>",
           "text": "สวัสดี {{ firstName }} ยอดคะแนน {{ balance }}"}}}' | jq -r .data.id)
curl -s "$B/mail-templates/$EARNED/preview" -H "$H" -H "$J" \
  -d '{"variables": {"points": 50, "balance": 120, "firstName": "Mei"}, "locale": "th"}'

RESET=$(curl -s "$B/mail-templates" -H "$H" -H "$J" -d '{
  "code": "staff-password-reset", "name": "Password reset",
  "variables": [{"name": "resetUrl", "required": true}, {"name": "name"}],
  "locales": {"en": {"subject": "Reset your SBM CRM password",
                     "html": "<p>Hello {{ name }}, <a href=\"{{ resetUrl }}\">choose a new password</a>.</p>",
                     "text": "Hello {{ name }}, choose a new password: {{ resetUrl }}"}}}' | jq -r .data.id)

# 3. Actions: earns of 100 points or more mail the member; reset requests mail the staff member.
curl -s "$B/mail-actions" -H "$H" -H "$J" -d "{
  \"name\": \"Big earn\", \"event\": \"points.earned\", \"templateId\": \"$EARNED\", \"senderId\": \"$SENDER\",
  \"recipient\": \"member\", \"conditions\": [{\"field\": \"points\", \"op\": \"gte\", \"value\": 100}]}"
curl -s "$B/mail-actions" -H "$H" -H "$J" -d "{
  \"name\": \"Reset link\", \"event\": \"staff.password_reset_requested\", \"templateId\": \"$RESET\",
  \"senderId\": \"$SENDER\", \"recipient\": \"staff\"}"

# 4. The delivery log: queued, sending, sent, failed (after retries), skipped.
curl -s "$B/mail-deliveries?status=failed" -H "$H"
