### The portal's texts in English. An id is the key used in the code with dots replaced by
### hyphens (the code asks for "err.required", here it is err-required). Variables: { $name }.

## Site-wide
site-name = Local Government Digitalisation Leader
site-organiser = A competition of the Masovian Voivodeship
nav-skip = Skip to content
nav-label = Main menu
nav-home = Home
nav-register = Register
nav-login = Log in
nav-logout = Log out
nav-dashboard = My dashboard
nav-institution = Institution
nav-settings = Account
nav-users = Users
nav-outbox = Email outbox
nav-audit = Audit log
footer-organiser = Organiser: the Masovian Voivodeship local government
footer-accessibility = Accessibility statement
footer-privacy = Personal data protection
role-applicant = applicant
role-juror = juror
role-organiser = organiser

## Institution kinds
kind-gmina_miejska = urban municipality
kind-gmina_wiejska = rural municipality
kind-gmina_miejsko_wiejska = urban-rural municipality
kind-miasto_npp = city with county rights
kind-powiat = county
kind-wojewodztwo = voivodeship
kind-jednostka_samorzadowa = local government organisational unit
kind-uczelnia = university
kind-inna = other public institution

## Forms
form-optional = (optional)
form-choose = — choose —
form-save = Save
form-cancel = Cancel
form-filter = Filter
field-institution_name = Name of the institution
field-kind = Kind of institution
field-teryt = TERYT code
field-street = Street and number
field-postal_code = Postal code
field-city = Town or city
field-address = Address
field-phone = Phone
field-contact_person = Contact person
field-name = Full name
field-email = Email address
field-password = Password
field-password_confirm = Repeat the password
field-current_password = Current password
field-new_password = New password
field-lang = Account language
hint-institution_name = Full name, e.g. Urząd Miasta i Gminy Piaseczno.
hint-teryt = The unit's 7-digit code from the TERYT register, e.g. 1418043.
hint-postal_code = In the format 00-000.
hint-phone = A landline or mobile number, e.g. 22 701 75 00.
hint-email_login = We will send a confirmation link to this address; it is also your login.
hint-password = At least 12 characters. A few words that are easy to remember work well.
hint-lang = We will show the pages in this language after you log in and send you emails in it. The language switch in the header changes the pages' language until you log out.

## Errors
err-title_prefix = Error:
err-summary = There is a problem
err-prefix = Error:
err-required = This field is required.
err-too_long_n = { $max ->
        [one] The text can have at most { $max } character.
       *[other] The text can have at most { $max } characters.
    }
err-invalid_chars = The text contains invisible or control characters that are not allowed. Remove them and try again (line breaks are allowed in this field).
err-invalid_chars_line = This field must fit on one line and cannot contain invisible or control characters (such as a line break or a tab).
err-email = Enter an address in the correct format, like jan.kowalski@gmina.pl.
err-email_taken = An account with this address already exists. Log in or reset your password.
err-email_taken_invite = An account with the invited address already exists. Log in to it.
err-password_short = Enter at least 12 characters.
err-password_weak = This password is easy to guess: it contains, for example, repeats, a sequence, a common word, a name or an email address. Choose a longer one, ideally a few unrelated words.
err-password_mismatch = The passwords do not match.
err-current_password = This password is not correct.
err-teryt_format = Enter 7 digits, e.g. 1418043.
err-teryt_invalid = No such TERYT code exists. Check the voivodeship, county, municipality and unit type digits.
err-postal_code = Enter the code in the format 00-000.
err-phone = Enter 9 to 15 digits; spaces, hyphens and a leading + are fine.
err-url = Enter a full address starting with https:// or http://.
err-kind = Choose the kind of institution.
err-choose = Choose one of the options.
err-consent = To register, confirm that you have read the information on data processing.

## Error pages
error-code = Error code
error-go_home = Go to the home page
error-title_400 = The request could not be handled
error-title_403 = Access denied
error-title_404 = Page not found
error-title_500 = Something went wrong
error-400 = The data sent could not be understood. Go back and try again.
error-403 = You do not have permission to see this page.
error-404 = The page you are looking for does not exist or has moved. Check the address.
error-405 = This page cannot be opened this way.
error-413 = What you sent is too large.
error-429 = Too many attempts. Wait a moment and try again.
error-500 = Sorry, something went wrong. Please try again in a moment.
error-503 = The service is temporarily unavailable. Please try again shortly.
error-csrf = The form expired or was sent from another site, so nothing was saved. Go back, reload the page and send it again.
error-invalid_utf8 = The form contained characters that cannot be stored as text (invalid UTF-8 encoding or a NUL character), so nothing was saved. Go back to the form, retype any pasted text, and send it again.

## Links from emails
link-title = This link does not work
link-expired = This link has expired. Ask for a new one.
link-used = This link has already been used. Each link works only once.
link-unknown = This link is not valid. Check that it was copied in full.

## Home
home-title = Home
home-lead = The competition recognises local governments and public institutions of Mazovia for innovative digital projects: publishing spatial data, e-services for residents and other solutions that make life easier.
home-how_title = How to take part
home-how_1 = Register your institution and confirm your email address.
home-how_2 = While the call is open, submit an entry in one of the competition's categories.
home-how_3 = The jury scores the entries on the published criteria.
home-how_4 = The organiser announces and publishes the competition's results.
home-cta_register = Register your institution
home-who_title = Who can enter
home-who_text = Municipalities, counties, cities, local government units, universities and other public institutions of the Masovian Voivodeship.

## Accessibility statement and privacy
a11y-title = Accessibility statement
a11y-commits = is committed to making its website accessible in accordance with the Polish Act of 4 April 2019 on the digital accessibility of public bodies' websites and mobile applications.
a11y-applies_to = This accessibility statement applies to the website
a11y-contact_title = Feedback and contact information
a11y-contact_text = For anything about the digital accessibility of this website, including reporting a problem or requesting accessibility or an alternative means of access, contact the person responsible for accessibility.
privacy-title = Personal data protection
sitetexts-title = Accessibility statement and data protection
sitetexts-lead = These texts are published on the "Accessibility statement" and "Personal data protection" pages, linked from the footer of every page.
sitetexts-gaps_title = Still to complete
sitetexts-see_a11y = See the published accessibility statement
sitetexts-see_privacy = See the published privacy notice
sitetexts-entity = Name of the public body
sitetexts-entity_hint = The full name of the body that publishes the website, for example Urząd Marszałkowski Województwa Mazowieckiego w Warszawie.
sitetexts-published_on = Date the website was published
sitetexts-updated_on = Date of the last significant update
sitetexts-prepared_on = Date this statement was prepared
sitetexts-date_hint = Day, month and year, for example 15.03.2026 (or 2026-03-15).
sitetexts-updated_hint = The date the look, structure or way of publishing information last changed. Day, month and year, for example 15.03.2026 (or 2026-03-15).
sitetexts-contact_name = Contact person for accessibility
sitetexts-contact_hint = A person's full name or the name of a unit.
sitetexts-contact_email = Email address
sitetexts-contact_phone = Phone number
sitetexts-a11y_pl = Statement text — Polish version (Markdown)
sitetexts-a11y_en = Statement text — English version (Markdown)
sitetexts-a11y_hint = The headings of required sections end with an identifier in braces, for example {"{"}#a11y-procedura{"}"}. Keep it: it is how we check that the statement is complete. Replace every "[fill in: …]" part (in Polish: "[uzupełnij: …]") with the actual content. The page adds the contact details and dates from the fields above itself.
sitetexts-privacy_pl = Privacy notice — Polish version (Markdown)
sitetexts-privacy_en = Privacy notice — English version (Markdown)
sitetexts-privacy_hint = The headings of required sections end with an identifier in braces, for example {"{"}#rodo-skarga{"}"}. Keep it. Replace every "[fill in: …]" part (in Polish: "[uzupełnij: …]") with the actual content.
sitetexts-missing = [fill in]
sitetexts-version_pl = Polish version
sitetexts-version_en = English version
sitetexts-gap_field = Accessibility statement — missing: { $field }
sitetexts-gap_placeholder = { $doc } — { $version }: parts are still to be filled in ("[uzupełnij: …]").
sitetexts-gap_section = { $doc } — { $version }: a required section is missing: { $part }
sitetexts-part_a11y_status = Compliance status
sitetexts-part_a11y_ocena = Preparation of this statement
sitetexts-part_a11y_procedura = Requests and complaints
sitetexts-part_a11y_architektura = Architectural accessibility
sitetexts-part_a11y_komunikacja = Communication and Polish Sign Language (PJM)
sitetexts-part_rodo_administrator = Data controller
sitetexts-part_rodo_iod = Data protection officer
sitetexts-part_rodo_cele = Purposes and legal bases
sitetexts-part_rodo_odbiorcy = Recipients
sitetexts-part_rodo_okres = Retention
sitetexts-part_rodo_prawa = Your rights
sitetexts-part_rodo_skarga = Right to complain to the President of the Personal Data Protection Office
sitetexts-dashboard_card = Accessibility statement and data protection
sitetexts-dashboard_ok = Both pages are complete.
sitetexts-dashboard_gaps = The accessibility statement or the privacy notice needs completing
sitetexts-dashboard_fix = Complete the accessibility statement and the privacy notice

## Registration
register-title = Register your institution
register-intro = Register your institution to submit entries to the competition. After registering we will send you a link to confirm your email address.
register-section_institution = Institution
register-section_person = The person registering
register-person_hint = You will be the contact person for entries. You can invite colleagues later.
register-consent = I have read the information on the processing of personal data.
register-consent_link = (read the information)
register-submit = Register
register-have_account = Already have an account?
register-sent_title = Check your email
register-sent_body = We have sent a confirmation link to the address you gave. Open it within 48 hours to activate your account.
register-sent_spam = If the message does not arrive within a few minutes, check your spam folder.

## Verification
verify-title = Confirm your email address
verify-intro = Press the button to confirm your email address and activate your account.
verify-submit = Confirm my email address
verify-resend_title = Send the confirmation link again
verify-resend_intro = Enter the email address you registered with. If the account is waiting for confirmation, we will send a new link.
verify-resend_submit = Send the link again
verify-resend_link = Send the confirmation link again
verify-resend_done = If an account with this address is waiting for confirmation, we have just sent a new link. Earlier links no longer work.

## Login
login-title = Log in
login-submit = Log in
login-forgot = Forgotten your password?
login-invalid = The email address or password is not correct.
login-throttled = Too many failed attempts to log in. Try again after { $time }.
err-mail_limit = The limit of emails that can be sent this way has been reached for now. Try again after { $time }.
login-unverified = This account's email address has not been confirmed yet. Open the link in the message we sent after registration, or ask for a new one.
login-disabled = This account has been disabled. Contact the competition's organiser.
login-logged_out = You have been logged out.
login-password_reset = Your password has been changed. Log in with the new password.
login-new_here = New here?
login-new_here_text = An institution that wants to take part creates an account in a few minutes.
logout-title = Log out

## Passwords
forgot-title = Reset your password
forgot-intro = Enter your account's email address. We will send a link to set a new password, valid for one hour.
forgot-submit = Send the link
forgot-done = If this address belongs to an account, we have sent it a link to set a new password. The link is valid for one hour.
forgot-again = Ask for a new link
reset-title = Set a new password
reset-submit = Set password
password-title = Change password
password-intro = After the change you will be logged out on every other device.
password-submit = Change password

## Invitations and set-up
invite-title = Join your institution
invite-intro = You have been invited to the account of { $institution }. Enter your name and choose a password.
invite-submit = Create account
setup-title = First run: organiser account
setup-intro = Create the first organiser account. This link works only once.
setup-submit = Create organiser account

## Dashboard and account
dashboard-title = My dashboard
dashboard-hello = Logged in as: { $name }
dashboard-your_institution = Your institution
dashboard-edit_institution = Edit the institution's details
dashboard-members = People in the institution
dashboard-entries = Entries
dashboard-no_call = The call for entries is not open yet.
dashboard-assignments = Entries assigned to you
dashboard-no_assignments = No entries have been assigned to you yet.
dashboard-overview = Overview
dashboard-users_count = 
    { $n ->
        [one] { $n } account
       *[other] { $n } accounts
    }
dashboard-queued_count = 
    { $n ->
        [one] { $n } message waiting to be sent
       *[other] { $n } messages waiting to be sent
    }
dashboard-failed_count = 
    { $n ->
        [one] { $n } message not sent
       *[other] { $n } messages not sent
    }
dashboard-audit_text = Who changed what, and when.
settings-title = Account settings
settings-security = Security
inst-title = Institution details
members-title = People in the institution
members-caption = Accounts of people in this institution
members-since = Account since
members-pending = Pending invitations
members-valid_until = valid until { $time }
members-invite_title = Invite a colleague
members-invite_intro = The person you invite gets an email with a link to create an account in this institution (valid for 7 days).
members-invite_submit = Send the invitation

## Flash messages
flash-saved = Changes saved.
flash-verified = Your email address is confirmed. You can log in now.
flash-welcome = Welcome! Your account has been created.
flash-setup_done = The organiser account has been created.
flash-password_changed = Your password has been changed. Other sessions have been ended.
flash-invited = The invitation has been sent.
flash-user_disabled = The account has been disabled and its sessions ended.
flash-user_enabled = The account has been enabled.
flash-not_yourself = You cannot disable your own account.
flash-requeued = The message is back in the queue and will be sent again.

## Lists
list-count = 
    { $n ->
        [one] { $n } result
       *[other] { $n } results
    }
list-range = Items { $first }–{ $last } of { $total }
list-range_one = Item { $n } of { $total }
pager-label = Result pages
pager-prev = Previous page
pager-next = Next page
pager-page = Page

## Users
users-title = Users
users-search = Search (name, email, institution)
users-role = Role
users-all_roles = All roles
users-institution = Institution
users-status = Status
users-actions = Actions
users-active = active
users-disabled = disabled
users-unverified = not confirmed
users-disable = Disable
users-enable = Enable

## Outbox
outbox-title = Email outbox
outbox-intro = Every message the portal sends is queued here first. Failed deliveries are retried automatically.
outbox-no_smtp = No mail server (KONKURS_SMTP_URL) is configured: messages wait in the queue and will be sent once it is set.
outbox-all = All
outbox-status = Status
outbox-status_queued = queued
outbox-status_sent = sent
outbox-status_failed = failed
outbox-created = Created
outbox-to = To
outbox-subject = Subject
outbox-attempts = Attempts
outbox-last_answer = Server's last answer
outbox-next_attempt = next attempt: { $time }
outbox-sent_at = Sent
outbox-retry = Send again
outbox-sent_no_retry = The message was delivered; its one-time links are no longer kept. The recipient can ask for a new link.
outbox-back = ← All messages
outbox-body = Content

## Audit log
audit-title = Audit log
audit-all = All events
audit-when = When
audit-who = Who
audit-action = Event
audit-object = Object
audit-details = Details
audit-kind_filter = Kind of event
audit-empty = The audit log is empty.
audit-empty_filtered = There are no events of this kind.
audit-missing = no. { $id } (no longer exists)
audit-none = none
audit-award_given = Awarded { $award }: { $entry }
audit-awards_cleared = Awards removed in category { $category }
audit-d_category = Category
audit-d_edition = Edition
audit-d_file = File
audit-d_criterion = Criterion
audit-d_state = New stage
audit-d_aggregation = How scores are combined
audit-d_reason = Reasons
audit-d_conflict_reason = Reason
audit-d_email = Email address
audit-d_role = Role
audit-d_categories = Categories
audit-d_institution = Institution
audit-d_juror = Jury member
audit-d_reminders = Reminders sent
audit-d_messages = Messages queued for sending
audit-kind-attachment_add = Attachment added
audit-kind-attachment_remove = Attachment removed
audit-kind-award_set = Awards set
audit-kind-category_delete = Category deleted
audit-kind-category_save = Category saved
audit-kind-criterion_delete = Criterion deleted
audit-kind-criterion_save = Criterion saved
audit-kind-edition_create = Edition created
audit-kind-edition_judging_settings = Judging rules changed
audit-kind-edition_state = Edition stage changed
audit-kind-edition_update = Edition details changed
audit-kind-entry_accept = Entry formally accepted
audit-kind-entry_create = Entry created (draft)
audit-kind-entry_reject = Entry formally rejected
audit-kind-entry_return = Entry returned for correction
audit-kind-entry_submit = Entry submitted
audit-kind-entry_update = Entry changed
audit-kind-entry_withdraw = Entry withdrawn
audit-kind-institution_invite = Person invited to the institution's account
audit-kind-institution_register = Institution registered
audit-kind-institution_update = Institution details changed
audit-kind-juror_accept_invitation = Jury invitation accepted
audit-kind-juror_invite = Invited to the jury
audit-kind-jury_assign = Entry assigned for judging
audit-kind-jury_categories = Jury member's categories changed
audit-kind-jury_conflict = Conflict of interest declared
audit-kind-jury_conflict_removed = Conflict of interest removed
audit-kind-jury_declaration = Declaration of impartiality and confidentiality made
audit-kind-jury_remind = Judging reminders sent
audit-kind-jury_reopen = Judgement reopened
audit-kind-jury_submit = Judgement submitted
audit-kind-jury_unassign = Entry removed from a jury member's list
audit-kind-outbox_retry = Message queued again
audit-kind-protocol_finalise = Jury protocol finalised
audit-kind-results_announce = Results announcement sent
audit-kind-results_schedule = Publication of the results scheduled
audit-kind-results_schedule_cancel = Scheduled publication of the results cancelled
audit-kind-results_schedule_failed = Results not published at the scheduled time
audit-kind-results_publish_scheduled = Results published at the scheduled time
audit-d_publish_at = Publication time
audit-d_announce = Announcement by email
audit-kind-user_accept_invitation = Invitation to an institution's account accepted
audit-kind-user_change_password = Password changed
audit-kind-user_create_organiser = Organiser account created
audit-kind-user_disable = Account disabled
audit-kind-user_enable = Account enabled
audit-kind-user_mail_settings = Email notification settings changed
audit-kind-site_texts = Accessibility statement or privacy notice changed
audit-kind-user_reset_password = New password set from a link
audit-kind-user_verify_email = Email address confirmed

## Email
email-greeting = Dear { $name },
email-signature = The “Local Government Digitalisation Leader” competition team
email-automatic = This message was sent automatically.
email-link_fallback = If the button does not work, copy this address into your browser:
email-not_you = If this was not you, ignore this message.
email-verify-subject = Confirm your email address – “Local Government Digitalisation Leader” competition
email-verify-body = Thank you for registering your institution for the “Local Government Digitalisation Leader” competition. To activate your account, confirm your email address.
email-verify-action = Confirm email address
email-verify-expiry = The link is valid for 48 hours and works only once.
email-reset-subject = Set a new password – “Local Government Digitalisation Leader” competition
email-reset-body = We received a request to set a new password for your account on the “Local Government Digitalisation Leader” competition website.
email-reset-action = Set a new password
email-reset-expiry = The link is valid for one hour and works only once.
email-password_changed-subject = Your password has been changed – “Local Government Digitalisation Leader” competition
email-password_changed-body = The password of your account on the “Local Government Digitalisation Leader” competition website has been changed. Changed on: { $time }.
email-password_changed-not_you = If this was not you, reset your password at once and contact the organiser.
email-invite-subject = Invitation to your institution's account – “Local Government Digitalisation Leader” competition
email-invite-body = You have been invited to join an institution's account in the “Local Government Digitalisation Leader” competition. Once you have created your account, you can prepare entries together with other people from your institution.
email-invite-institution = Institution
email-invite-inviter = Invited by
email-invite-not_expected = If you were not expecting this invitation, ignore this message.
email-registered_again-subject = Someone tried to register with your email address – “Local Government Digitalisation Leader” competition
email-registered_again-body = Someone tried to register an institution for the “Local Government Digitalisation Leader” competition with your email address. An account with this address already exists, so nothing has been changed.
email-registered_again-if_you = If it was you, log in to your account.
email-registered_again-reset = If you have forgotten your password, set a new one: { $link }
email-invite-action = Create your account
email-invite-expiry = The link is valid for 7 days and works only once.

## Navigation added with editions
nav-editions = Editions
nav-calls = Competition editions

## Forms (more)
form-edit = Edit
form-delete = Delete
form-delete_confirm = Delete this for good?
err-date = Enter the day, month and year, e.g. 15.03.2026 (or 2026-03-15).
err-datetime = Enter the day, month, year and time, e.g. 15.03.2027, 23:59 (or 2027-03-15 23:59).
err-updated_before_published = The date of the last update cannot be earlier than the publication date.
err-datetime_gap = This time does not exist on that day (the clocks go forward). Choose another.
err-budget = Enter an amount, e.g. 1 250 000.50.
err-links = Each link must be a full address starting with https:// or http://, one per line.
err-too_many_links = Give at most 10 links.
err-summary_long = The text can have at most 1,000 characters.
err-launch_before_start = The launch date cannot be earlier than the start date.
err-accept_rules = To submit the entry, accept the competition rules.
err-accept_privacy = To submit the entry, accept the personal data clause.

## Home (editions)
home-current = Current edition
home-deadline = Deadline for entries: { $time }.
home-call_details = Rules, categories and scoring criteria
home-all_editions = All editions of the competition

## Editions (public)
editions-title = Editions of the competition
editions-none = No edition has been announced yet.
edition-name = Name of the edition
edition-name_en = Name of the edition in English
edition-year = Year
edition-slug = Address of the edition's page
edition-state = Stage
edition-state_draft = draft
edition-state_open = open for entries
edition-state_closed = call closed
edition-state_judging = judging
edition-state_published = results published
edition-window = Call for entries
edition-opens_at = Call opens
edition-closes_at = Deadline for entries
edition-judging_deadline = Judging deadline
edition-limit = Limit of entries per institution and category
edition-times_note = All times are Polish time (Europe/Warsaw).
edition-time_left = { $left } left
edition-call_open = The call for entries is open.
edition-opens_soon = The call for entries opens: { $time }.
edition-categories = Categories
edition-category = Category
edition-criteria = Scoring criteria
edition-formula = Each juror scores every criterion. A juror's result is the sum of the points times the criteria's weights (at most { $max } points); an entry's result is the mean of the results of the jurors without a conflict of interest.
edition-rules = Rules
edition-rules_en = Rules in English
edition-hint_name = The name in Polish, as Polish pages show it, e.g. VI edycja. The English name goes in its own field.
edition-hint_slug = Lower-case letters, digits and hyphens, e.g. vi-edycja. Permanent address: /editions/…
edition-hint_warsaw = Day, month, year and time in Polish time (Europe/Warsaw), for example 15.03.2027, 23:59.
edition-hint_rules = Markdown works: **bold**, lists, # headings, links.
edition-template = Start from
edition-hint_template = A new edition can take over the categories, criteria and rules of an earlier one (not its entries).
edition-template_model = The model competition's three categories and sample criteria
edition-template_copy = Copy of: { $name }
edition-template_empty = An empty edition
edition-err_order = An edition's stages follow one another in order.
edition-err_no_categories = Add at least one category.
edition-err_no_criteria = Add at least one scoring criterion.
edition-err_closes_past = The deadline for entries has passed. Set a later one.
edition-err_still_open = The call can be closed only after its deadline.
edition-err_undecided = First make a formal decision on every entry (including those returned for correction).
edition-err_no_accepted = No entry has been formally accepted.
edition-err_window = The deadline for entries must be after the call opens.
edition-err_judging_before_close = The judging deadline cannot be before the deadline for entries.
edition-err_year = Enter four digits, e.g. 2027.
edition-err_slug = Use 2 to 60 lower-case letters, digits and hyphens, e.g. vi-edycja.
edition-err_slug_taken = Another edition already has this address.
edition-err_slug_locked = The address of an announced edition cannot change.
edition-err_limit = Enter a number from 1 to 20.
edition-err_opens_locked = The call has already opened; its start cannot change.
edition-err_only_extend = While the call is open, its deadline can only be extended.
edition-err_only_raise = While the call is open, the limit can only be raised.
edition-err_dates_locked = Once the call has closed, its dates cannot change.
edition-err_limit_locked = Once the call has closed, the limit cannot change.
edition-err_categories_locked = Categories can change only while the edition is a draft, before any entry.
edition-err_criteria_frozen = The criteria were published with the call and can no longer change.
edition-err_code = Enter a code of letters and digits, e.g. I, II, III.
edition-err_code_taken = This edition already has a category with this code.
edition-err_position = Enter a number from 0 to 1000.
category-code = Code
category-hint_code = E.g. I, II, III.
category-position = Order
category-name = Name
category-name_en = Name in English
category-description = Description
category-description_en = Description in English
criterion-name = Criterion
criterion-name_en = Criterion in English
criterion-description = Description
criterion-description_en = Description in English
criterion-max_points = Points
criterion-weight = Weight
criterion-levels = What the scores mean
criterion-levels_en = What the scores mean, in English
criterion-hint_max = The highest score in this criterion (1 to 100).
criterion-hint_weight = The points' multiplier, 0.1 to 10, e.g. 1.5.
criterion-hint_levels = One level per line, e.g. “5: new in the region”.
criterion-err_max = Enter a number from 1 to 100.
criterion-err_weight = Enter a number from 0.1 to 10.

## Editions (organisers)
admin_editions-title = Competition editions
admin_editions-none = There is no edition yet.
admin_editions-new = New edition
admin_editions-create = Create the edition
admin_editions-entries = Entries
admin_editions-entries_list = List of entries and formal check
admin_editions-undecided = 
    { $n ->
        [one] { $n } entry awaits the formal check
       *[other] { $n } entries await the formal check
    }
admin_editions-accepted = 
    { $n ->
        [one] { $n } entry formally accepted
       *[other] { $n } entries formally accepted
    }
admin_editions-public_page = The edition's public page
admin_editions-preview = Preview of the edition's page
admin_editions-move_to = Move on to: { $state }
admin_editions-next_blocked = The next stage ({ $state }) is not available yet.
admin_editions-categories_locked = Categories are locked: the edition is no longer a draft.
admin_editions-criteria_frozen = The criteria were published with the call and are frozen.
admin_editions-add_category = Add a category
admin_editions-edit_category = Edit category
admin_editions-add_criterion = Add a criterion
admin_editions-edit_criterion = Edit criterion
admin_editions-details = Edition details

## Entries
entry-new = Add an entry
entry-new_title = New entry
entry-edit_title = Edit entry
entry-view = View the entry
entry-back = Back to the entry
entry-closed_title = The call for entries is closed
entry-closed_text = The call for entries has ended. Deadline for entries: { $time }.
entry-deadline = Deadline for entries
entry-correction_deadline = Deadline for the correction
entry-status = Status
entry-status_draft = draft
entry-status_submitted = submitted
entry-status_withdrawn = withdrawn
entry-status_accepted = formally accepted
entry-status_rejected = formally rejected
entry-status_returned = returned for correction
entry-category = Category
entry-category_locked = The category cannot change during a correction.
entry-title = Name of the project
entry-hint_title = As it should be presented to the jury and in the results.
entry-summary = Summary
entry-hint_summary = At most 1,000 characters (now: { $n }).
entry-description = Description of the project
entry-hint_description = Aim, solution, benefits for residents, innovation, results.
entry-started_on = Project start date
entry-launched_on = Launch date
entry-budget = Project budget
entry-hint_budget = E.g. 1 250 000.00.
entry-funding = Sources of funding
entry-hint_funding = E.g. the municipality's budget, EU funds.
entry-partners = Partners
entry-links = Links to the live service or portal
entry-hint_links = One address per line, starting with https://.
entry-contact = Contact person for the entry
entry-contact_name = Contact person's name
entry-contact_email = Contact person's email
entry-contact_phone = Contact person's phone
entry-accept_rules = I accept the competition rules.
entry-hint_rules = Required to submit the entry.
entry-accept_privacy = I have read the information clause on personal data processing.
entry-read_rules = Read the rules
entry-submit = Submit the entry
entry-save_draft = Save as draft
entry-save_changes = Save changes
entry-edit = Edit the entry
entry-editable_until = The entry can be changed or withdrawn until { $time }.
entry-withdraw = Withdraw the entry
entry-print = Printable version
entry-printed_at = Printed on
entry-submitted_at = Submitted on
entry-updated_at = Last change
entry-correction_until = Deadline for the correction
entry-decision_note = Reasons for the decision
entry-attachments = Attachments
entry-attachments_hint = Save changes to the form before adding an attachment.
entry-no_attachments = No attachments.
entry-file = File
entry-hint_file = PDF, PNG, JPEG, ODT or DOCX, up to 10 MB; at most { $n ->
        [one] { $n } file.
       *[other] { $n } files.
    }
entry-upload = Add the attachment
entry-max_files_reached = The entry already has { $n ->
        [one] { $n } attachment
       *[other] { $n } attachments
    }, the most allowed.
entry-err_category = Choose a category of this edition.
entry-err_closed = The deadline has passed: the entry can no longer change. Nothing was saved.
entry-err_limit = Your institution has used up its entries in this category. Choose another category or withdraw an earlier entry.
entry-err_file_large = The file is too large: at most 10 MB.
entry-err_file_missing = Choose a file to add.
entry-err_file_type = This file is not a PDF, PNG, JPEG, ODT or DOCX document (we check the content, not the name).
entry-err_too_many_files = An entry can have at most 5 attachments.
entry-err_until_past = The correction deadline must be in the future.
dashboard-no_entries = Your institution has no entries yet.
dashboard-your_entries = The institution's entries

## Formal check
review-title = Entries
review-counts = Entries per category
review-all_categories = All categories
review-all_statuses = All statuses (except drafts)
review-csv = Download all as CSV
review-decision = Formal check
review-accept = Accept formally
review-reject = Reject (give the reason)
review-return = Return for correction (give the reason and a deadline)
review-reason = Reason
review-hint_reason = Required to reject or return; the applicant receives it.
review-until = Correction deadline
review-hint_until = Only when returning for correction. Day, month, year and time in Polish time (Europe/Warsaw), for example 15.03.2027, 23:59.
review-save_decision = Save the decision
review-decided_at = Decided on
review-history = The entry's history
review-err_not_decidable = A decision can be made only on a submitted entry, after the call's deadline.

## Flash (entries and editions)
flash-edition_created = The edition has been created.
flash-state_changed = The edition has moved on to the next stage.
flash-deleted = Deleted.
flash-entry_created = Draft saved. You can now add attachments.
flash-entry_submitted = The entry has been submitted. We have sent a confirmation by email.
flash-entry_withdrawn = The entry has been withdrawn.
flash-file_added = The attachment has been added.
flash-file_removed = The attachment has been removed.
flash-decision_saved = The decision has been saved. The applicant will be notified by email.

## Emails about entries
email-submitted-subject = Your entry has been submitted – “Local Government Digitalisation Leader” competition
email-submitted-body = We confirm that your entry to the “Local Government Digitalisation Leader” competition has been submitted. Its details are below.
email-submitted-action = View the entry
email-submitted-until = The entry can be changed or withdrawn until the submission deadline: { $time }.
email-submitted-at = Submitted on
email-accepted-subject = Your entry has been formally accepted – “Local Government Digitalisation Leader” competition
email-accepted-body = The entry “{ $title }” has been formally accepted and will be judged by the jury.
email-rejected-subject = Your entry has been formally rejected – “Local Government Digitalisation Leader” competition
email-rejected-body = The entry “{ $title }” does not meet the competition's formal requirements and will not be judged by the jury. The reasons for the decision are below.
email-returned-subject = Your entry needs a correction – “Local Government Digitalisation Leader” competition
email-returned-body = The entry “{ $title }” needs a correction. The reasons and the deadline for the correction are below. Correct the entry and submit it again before the deadline.

## Jury
nav-jury = Judging
jury-title = Judging entries
jury-admin_title = Jury
jury-back = ← All entries assigned to you
jury-blind_note = Blind judging: the institutions' names are hidden.
jury-declaration = Declaration
jury-declaration_title = Declaration of impartiality and confidentiality
jury-declaration_text = Before opening the entries, confirm that you will judge impartially, declare any conflict of interest and keep the entries and the jury's deliberations confidential.
jury-declaration_accept = I declare that I will judge impartially and keep everything confidential.
jury-declaration_submit = Submit the declaration
jury-declared_at = Declaration made: { $time }.
jury-need_declaration = First make the declaration of impartiality and confidentiality.
jury-progress = Scored: { $done } of { $total }
jury-juror_progress = Scored: { $done } of { $total }
jury-your_entries = Entries to judge
jury-status_todo = to score
jury-status_draft = draft score
jury-status_submitted = scored
jury-status_conflict = conflict of interest
jury-conflict_declare = Declare a conflict of interest
jury-conflict_hint = E.g. if you work for this institution or took part in the project. You will not judge this institution's entries.
jury-conflict_institution = Institution
jury-conflict_reason = Reason
jury-conflict_submit = Declare the conflict
jury-conflict_record = Record the conflict
jury-conflict_title = Conflict of interest
jury-conflict_text = A conflict of interest with the institution of this entry has been declared. You cannot open or score it.
jury-closed_title = Judging is not available
jury-conflicts = Conflicts of interest
jury-no_conflicts = No conflicts of interest have been declared.
jury-score_title = Your score
jury-comment = Comment
jury-hint_comment = Required when submitting. The institution may see it after the results (without your name).
jury-submit = Submit the score
jury-save_draft = Save as draft
jury-submitted_locked = The score has been submitted and is locked.
jury-total = Weighted total
jury-err_score_missing = Give points for this criterion.
jury-err_score_range = Enter a whole number from 0 to { $max }.
jury-err_comment = Give a comment on your score.
jury-err_locked = The score has been submitted. Changing it needs the competition's organisers to reopen it.
jury-err_not_judging = The edition is not at the judging stage.
jury-err_deadline = The judging deadline has passed: scores can no longer change.
jury-err_finalised = The jury protocol has been finalised: scores and awards are locked.
jury-err_declaration = To continue, make the declaration.
jury-err_institution = Choose an institution taking part in this edition.
jury-err_already_active = This juror already has an active account.
jury-err_invite_limit = The limit of jury invitations has been reached for now. Try again later.
jury-err_pick_entry = Choose an entry.
jury-settings = How entries are judged
jury-settings_locked = The judging rules were set before judging started and cannot change.
jury-aggregation = How scores are combined
jury-hint_aggregation = The mean of weighted totals, or scores normalised per juror (evens out severe and lenient jurors).
jury-tie_break = Tie-break
jury-hint_tie_break = With equal results, the higher mean on this criterion decides, then the median of the jurors' totals.
jury-no_tie_criterion = Only the median of the jurors' totals
jury-blind = Blind judging (jurors do not see the institutions' names)
jury-show_scores = After the results, institutions see their entries' points and comments
jury-jurors = Jurors and their categories
jury-no_jurors = There are no jurors yet. Invite them below.
jury-not_active = invitation not accepted
jury-categories_of = Categories judged by { $name }
jury-save_categories = Save categories
jury-reinvite = Send the invitation again
jury-progress_title = Judging progress per category
jury-assigned = Assignments
jury-remind = Remind jurors who have not finished
jury-invite = Invite a juror
jury-invite_send = Send the invitation
jury-affiliation = Affiliation
jury-invite_title = Invitation to the jury
jury-invite_intro = Invitation to the jury for: { $name }. Choose a password to start judging.
jury-invite_submit = Set the password
jury-assigned_entries = Assigned entries
jury-reopen = Reopen the score
jury-unassign = Remove from the list
jury-assign_one = Add a single entry
jury-assign = Add
jury-entry = Entry

## Ranking and awards
ranking-title = Ranking and awards
ranking-intro = The ranking is a proposal; the competition's organisers decide the awards. Scores are combined as:
ranking-agg_mean = the mean of the jurors' weighted totals
ranking-agg_normalised = the mean of scores normalised per juror
ranking-csv = All scores (CSV)
ranking-locked = Awards can be given at the judging stage, until the protocol is finalised.
ranking-no_entries = No accepted entries.
ranking-rank = Rank
ranking-score = Result
ranking-mean = mean
ranking-count = Scores
ranking-min_max = Min – max
ranking-spread = Spread
ranking-per_juror = Jurors' totals
ranking-award = Award
ranking-tie = tie
ranking-by_criterion = separated by the tie-break criterion
ranking-by_median = separated by the median
ranking-unscored = no scores
ranking-incomplete = not all jurors have scored
ranking-juror = Juror
ranking-points = Points
ranking-weighted = Weighted
ranking-review_status = Score status
ranking-conflict = conflict of interest
ranking-comment = Comment
ranking-yes = yes
ranking-tie_rule_criterion = the higher mean on “{ $criterion }”, then the higher median of the jurors' totals; remaining ties are shown as ties.
ranking-tie_rule_median = the higher median of the jurors' totals; remaining ties are shown as ties.
award-first = 1st place
award-second = 2nd place
award-third = 3rd place
award-mention = honourable mention
award-none = — no award —
award-ex_aequo = Award places ex aequo (the same place to several entries)
award-ex_aequo_short = ex aequo
award-save = Save the category's awards
award-err_duplicate = { $place } was given to several entries. If that is the jury's decision, tick “ex aequo”.

## Protocol
protocol-title = Jury protocol
protocol-generated = Generated
protocol-final_at = Protocol finalised: { $time }. Scores and awards are locked.
protocol-not_final = The protocol is not final yet: scores and awards may still change.
protocol-finalise = Finalise the protocol
protocol-jury = The jury
protocol-rules = Scoring rules
protocol-aggregation = Combining scores
protocol-tie_break = Ties are broken by
protocol-scores = Scores of the entries
protocol-chain = Record of the jury's work
protocol-chain_hint = Every score submitted or reopened, every conflict of interest, every decision on awards and the protocol's finalisation is added to a record in which each entry holds the hash of the one before it. The command “konkurs audit verify” checks that no entry and no score has been changed.
protocol-chain_seq = Number of the latest entry
protocol-chain_head = Hash of the latest entry (SHA-256)
protocol-chain_empty = The record has no entries yet.

## Results
results-title = Results
results-published_at = Results published: { $time }.
results-none = No awards were given in this category.
results-download = Download the results
results-award = Award
results-err_not_judging = Awards are given at the judging stage.
results-err_no_awards = Give the awards first.
results-err_not_published = The results have not been published yet.
results-err_settings_locked = The judging rules cannot change once judging has started.
edition-err_protocol = First finalise the jury protocol.
feedback-title = How the entry was scored
feedback-juror = Juror
feedback-comments = The jurors' comments

## Announcement
announce-title = Announcing the results
announce-reach = Who has been reached
announce-reached = delivered
announce-queued = queued
announce-failed = could not be sent
announce-not_sent = not sent yet
announce-send_title = Send the announcement
announce-extra = Extra recipients (e.g. the press)
announce-hint_extra = Email addresses separated by commas or on separate lines. They receive the results: the entries awarded a place or an honourable mention.
announce-only_unreached = The announcement goes only to institutions and addresses it has not reached yet. Only messages that could not be sent are sent again.
announce-send = Send the announcement
announce-err_extra = Enter valid email addresses (at most 200).
announce-err_already_sent = The announcement has already been sent to these recipients. It was not sent again.
announce-snippet = Text for a press release
announce-snippet_text = Plain text
announce-snippet_html = HTML
announce-preview = Preview of the messages
announce-preview_count = 
    { $n ->
        [one] { $n } message to send
       *[other] { $n } messages to send
    }

## Flash (jury and results)
flash-declared = Declaration made. You can judge the entries now.
flash-conflict_saved = The conflict of interest has been recorded.
flash-score_submitted = The score has been submitted.
flash-juror_invited = The invitation to the jury has been sent.
flash-reminded = Reminders have been sent.
flash-score_already_submitted = The score for this entry had already been submitted. Nothing was changed.
flash-nobody_to_remind = Every juror has finished.
flash-reopened = The score has been reopened.
flash-awards_saved = The awards have been saved.
flash-protocol_final = The protocol has been finalised.
publication-title = Publication of the results
publication-schedule = Publication time
publication-publish_at = Date and time of publication
publication-announce = Announcement by email
publication-announce_yes = yes, when published
publication-announce_no = no
publication-announce_label = Send the announcement of the results by email when they are published
publication-announce_hint = Every person of every institution that took part receives it.
publication-none = The publication of the results is not scheduled.
publication-save = Schedule the publication
publication-change = Change the publication time
publication-cancel = Cancel the scheduled publication
publication-preview = Preview of the results
publication-preview_hint = Until they are published, only organisers see the results.
schedule-err_past = The publication time must be in the future.
schedule-err_none = The publication of the results is not scheduled.
flash-publication_scheduled = The publication time of the results has been saved.
flash-publication_cancelled = The scheduled publication of the results has been cancelled.
flash-announced = The announcement has been queued for sending.

## Emails (jury and results)
email-greeting_plain = Hello,
email-juror_invite-subject = Invitation to the jury – “Local Government Digitalisation Leader” competition
email-juror_invite-body = You are invited to serve on the jury of the “Local Government Digitalisation Leader” competition. To see the entries assigned to you, choose a password for your account.
email-juror_invite-action = Choose a password
email-reminder-subject = Reminder: entries to judge – “Local Government Digitalisation Leader” competition
email-reminder-body =
    This is a reminder about judging entries in the “Local Government Digitalisation Leader” competition.
    Edition: { $edition }
    Entries left to judge: { $left }
    Judging deadline: { $time }
email-reminder-action = Go to judging
email-results_laureate-subject = Congratulations! Results of the “Local Government Digitalisation Leader” competition
email-results_laureate-body = The results of the “Local Government Digitalisation Leader” competition have been announced. We are pleased to tell you that the jury has awarded a place to { $n ->
        [one] your institution's entry
       *[other] your institution's entries
    }. Congratulations!
email-results_mention-body = The results of the “Local Government Digitalisation Leader” competition have been announced. We are pleased to tell you that the jury has given an honourable mention to { $n ->
        [one] your institution's entry
       *[other] your institution's entries
    }. Congratulations!
email-results_thanks-subject = Results of the “Local Government Digitalisation Leader” competition
email-results_thanks-body = The results of the “Local Government Digitalisation Leader” competition have been announced. Thank you for taking part and for preparing { $n ->
        [one] your entry
       *[other] your entries
    }. The results are below.
email-results_not_awarded = not placed in this category
email-results_action = See the full results
email-results_thanks_all = We thank all institutions for their entries and hope to see you in the next edition of the competition.
email-label-institution = Institution
email-label-edition = Edition
email-label-entry = Entry
email-label-category = Category
email-label-result = Result
email-press-subject = Results of the “Local Government Digitalisation Leader” competition – for the media
email-press-body = Here are the results of the “Local Government Digitalisation Leader” competition: the entries awarded a place or an honourable mention in each category.

## Countdowns (no JavaScript)
time-days_hours = { $days ->
        [one] { $days } day
       *[other] { $days } days
    } { $hours } h
time-hours_minutes = { $hours } h { $minutes } min
time-minutes = { $minutes } min

## Confirmations before final steps (nothing final happens by accident)
entry-review_submit = Review and submit the entry
entry-review_resubmit = Review and submit the corrected entry
entry-review_hint = The entry is sent only after you confirm it on the next page. The Enter key saves a draft.
flash-entry_saved_review = The entry has been saved as a draft. Check it and confirm the submission.
confirm-entry_title = Submit the entry?
confirm-entry_resubmit_title = Submit the corrected entry?
confirm-entry_effect = Once confirmed, the entry is submitted and goes to the formal check. Until the call closes it can still be changed or withdrawn.
confirm-entry_resubmit_effect = Once confirmed, the corrected entry is submitted again for the formal check.
confirm-entry_email = We will send a confirmation to the email address below.
confirm-to_address = Confirmation email to
confirm-attachments = Number of attachments
confirm-entry_button = Submit the entry
confirm-entry_resubmit_button = Submit the corrected entry
confirm-entry_back = Back to the form (nothing is sent)
confirm-entry_incomplete = The entry is not complete. Go back to the form and fill in the required fields.
jury-review_hint = The score is sent only after you confirm it on the next page; a submitted score cannot change unless the competition's organisers reopen it. The Enter key saves a draft.
jury-review_submit = Review and submit the score
confirm-score_title = Submit the score?
confirm-score_locks = Once submitted, the score is locked. It can be changed only if the competition's organisers reopen it.
confirm-score_button = Submit the score
confirm-score_back = Back to the score (nothing is sent)
confirm-score_incomplete = The score is not complete. Go back to the form, give points for every criterion and explain the score.
confirm-protocol_title = Finalise the protocol?
confirm-protocol_effect = Once the protocol is finalised, scores, assignments, conflicts of interest and awards are locked. This step cannot be undone.
confirm-protocol_publish = The results can be published only after the protocol is finalised.
confirm-protocol_awards = Number of awards and honourable mentions
confirm-protocol_unscored = Number of scores the jury has not submitted yet
confirm-protocol_button = Finalise the protocol
confirm-protocol_already = The protocol has already been finalised
confirm-protocol_back = Back to the protocol (nothing changes)
confirm-publish_title = Publish the results?
confirm-publish_effect = The results will appear on the competition's public page, visible to everyone. Scores and awards can no longer change.
confirm-publish_no_mail = Publishing sends no email. The results emails are sent separately, from the announcement page, after you check the recipients.
confirm-results_page = Results page address
confirm-publish_button = Publish the results
confirm-edition_back = Back to the edition's page (nothing changes)
confirm-disable_title = Block the account?
confirm-disable_effect = The person using this account will not be able to sign in, and their open sessions end at once.
confirm-disable_undo = Ended sessions cannot be restored. The account can be unblocked later in the list of users.
confirm-disable_email = Email address
confirm-disable_back = Back to the list of users (nothing changes)
confirm-disable_already = This account is already blocked.
confirm-withdraw_title = Withdraw the entry?
confirm-withdraw_effect = A withdrawn entry is neither judged nor awarded.
confirm-withdraw_edition = Edition
confirm-withdraw_back = Back to the entry (nothing changes)
confirm-withdraw_already = The entry has already been withdrawn.
confirm-withdraw_refused = This entry can no longer be withdrawn.
confirm-open_title = Open the call for entries?
confirm-open_effect = The edition becomes public and institutions can submit entries until the call closes. Categories and criteria can no longer be changed.
confirm-no_undo = This step cannot be undone.
confirm-opens_at = Call opens
confirm-closes_at = Call closes
confirm-open_button = Open the call
confirm-close_title = Close the call for entries?
confirm-close_effect = Institutions can no longer submit entries. Entries submitted before the call closed await the formal check.
confirm-close_undecided = Entries awaiting the formal check
confirm-close_button = Close the call
confirm-already_open = The call for entries has already been opened.
confirm-already_closed = The call for entries has already been closed.
confirm-already_judging = Judging has already started.
confirm-already_published = The results are already published.
confirm-announce_title = Send the announcement of the results?
confirm-announce_effect = Once confirmed, the messages are sent to every recipient listed below. Messages sent cannot be recalled.
confirm-announce_counts = Recipients by kind
confirm-announce_audience = Kind of recipients
confirm-announce_institutions = Number of institutions
confirm-announce_people = Number of recipients
confirm-announce_total = Total
confirm-announce_preview = Preview of the messages
confirm-announce_preview_hint = Each person receives the message in their own language, as shown in the preview.
confirm-announce_to = To
confirm-announce_subject = Subject
confirm-announce_button = Send the announcement
confirm-announce_back = Back to the announcement (nothing is sent)
confirm-announce_nobody = There is nobody new to write to: the announcement has already been sent to every institution and to the additional addresses given.
announce-audience_laureates = Winners (institutions with a place or an honourable mention)
announce-audience_participants = Participants without an award
announce-audience_press = Press and other additional addresses
announce-review = Review the recipients and preview the messages
confirm-remind_title = Send reminders?
confirm-remind_effect = Only jury members who still have scores to submit for entries assigned to them without a conflict of interest receive a reminder.
confirm-remind_count = Number of jury members who will receive a reminder
confirm-remind_deadline = Judging deadline
confirm-remind_button = Send the reminders
confirm-remind_back = Back to the jury page (nothing is sent)
confirm-remind_nobody = Nobody has scores left to submit: no reminders are needed.
confirm-remind_all_recent = Every jury member with scores left to submit was reminded in the last 24 hours. Another reminder can be sent later.
confirm-remind_recent_effect = Jury members reminded in the last 24 hours do not receive another reminder now.
confirm-remind_recent_count = Number of jury members reminded in the last 24 hours
confirm-remind_list = Who will receive a reminder
confirm-remind_recent_list = Reminded in the last 24 hours
confirm-remind_juror = Jury member
confirm-remind_left = Entries left to judge
confirm-remind_when = Last reminder
confirm-judging_title = Start judging the entries?
confirm-judging_effect = Jury members will see the entries assigned to them and can score them until the judging deadline. The judging settings can no longer change.
confirm-judging_mail = Each jury member with entries to judge will receive an email with their number, the judging deadline and a link to the portal.
confirm-judging_told = Number of jury members who will receive the email
confirm-judging_button = Start judging
remind-err_not_judging = Reminders can be sent only while entries are being judged.
remind-err_deadline = The judging deadline has passed: reminders are no longer sent.
remind-err_finalised = The protocol is finalised: reminders are no longer sent.
remind-err_published = The results are published: reminders are no longer sent.

## Jurors' emails: the invitation and the start of judging
email-edition = Edition
email-judging_deadline = Judging deadline
email-categories = Categories
email-judging_open-subject = Judging has started – “Local Government Digitalisation Leader” competition
email-judging_open-body = Judging of the entries has started. Below you will find the number of entries assigned to you and the deadline for your scores.
email-judging_open-count = Number of entries to judge
email-judging_open-declaration = Before your first score, accept the declaration of impartiality and confidentiality in the portal.
email-judging_open-action = Go to judging

## Forms, reference numbers, awards (issue 10)
register-consent_label = Information on the processing of personal data
entry-reference = Reference number
entry-reference_none = given on submission
award-order = Order of the honourable mention
award-hint_order = A number from 1; mentions without a number follow them, in ranking order.
award-err_order = Enter a number from 1 to 999 or leave the field empty.
entry-result = Competition result
entry-result_none = the entry is not among the prize-winners and honourable mentions
entry-first_file = Attachment
entry-hint_file_again = If the form comes back with errors, choose the file again (the browser does not keep it).
entry-attachments_in_form = You can add the first attachment in the form above; add more after saving the entry.
flash-entry_created_file_failed = The entry has been saved, but the attachment could not be added. Please add it again below.

## Texts and hints from the outside review (issue 10)
hint-date = Day, month and year, for example 15.03.2026.
entry-budget_input = Project budget in PLN
email-verify-not_you = If you did not create this account, ignore this message.
sitetexts-gap_placeholder_en = { $doc } — { $version }: parts are still to be filled in ("[fill in: …]").
results-mentions_n = { $n ->
        [one] Honourable mention
       *[other] Honourable mentions
    }
jury-weight = weight
edition-rules_pl_only = The rules are available in Polish only.
results-ref = reference number: { $ref }
confirm-judging_unassigned = Accepted entries with no jury member assigned
confirm-judging_unassigned_warning = Note: some accepted entries have no jury member assigned and nobody would judge them. Assign categories or entries on the jury page before you start judging.
flash-protocol_already_final = The protocol had already been finalised. Nothing was changed.

## Two-factor sign-in
two_factor-title = Two-step login
two_factor-intro = When you log in, you will give a code from an authenticator app on your phone as well as your password. Even someone who learns your password cannot log in without that code.
two_factor-step_app = Install an authenticator app that supports TOTP codes on your phone (for example FreeOTP, Aegis, Google Authenticator or Microsoft Authenticator).
two_factor-step_scan = Scan the QR code with it, or type in the key shown below the code.
two_factor-step_code = Enter the six-digit code the app shows below.
two_factor-secret_label = Key to type in by hand:
two_factor-enable_submit = Turn on two-step login
two_factor-due = The organiser requires two-step login for organisers and jury members. Turn it on to use the website.
two_factor-on = Two-step login is on.
two_factor-enabled_at = Turned on
two_factor-recovery_codes = Recovery codes
two_factor-recovery_left = { $n ->
        [one] { $n } unused code
       *[other] { $n } unused codes
    }
two_factor-disable_title = Turn off two-step login
two_factor-disable_intro = To turn off two-step login, give your password and a code from the app or a recovery code. Remembered browsers will no longer be recognised.
two_factor-disable_submit = Turn off two-step login
two_factor-codes_title = Recovery codes
two_factor-codes_done = Two-step login is now on.
two_factor-codes_intro = If you lose access to your phone, you can log in with one of these codes instead of a code from the app. Each code works only once. Write them down or print them and keep them somewhere safe.
two_factor-codes_once = The codes are shown only now. The website keeps them in a form from which they cannot be read.
two_factor-codes_continue = Go to your account
two_factor-code_title = Two-step login code
two_factor-code_intro = Your password is correct. Enter the code from your authenticator app or one of your recovery codes.
two_factor-code_submit = Log in
two_factor-code_invalid = The code is wrong or has already been used. Enter the current code from the app or an unused recovery code.
two_factor-remember = { $n ->
        [one] Remember this browser for { $n } day
       *[other] Remember this browser for { $n } days
    }
field-two_factor_code = Code from the app or recovery code
field-two_factor_app_code = Code from the app
hint-two_factor_code = Six digits from the app, or a recovery code in the form xxxxx-xxxxx.
hint-two_factor_app_code = Six digits. The code changes every 30 seconds.
hint-two_factor_remember = On this computer no code will be needed for that time. Do not tick this on a computer other people use.
hint-two_factor_required = Organiser and jury accounts without two-step login will be sent to turn it on after they log in.
login-code_expired = The time to enter the code has run out. Please log in again.
flash-recovery_code_used = You logged in with a recovery code. That code will not work again.
flash-two_factor_disabled = Two-step login has been turned off.
flash-two_factor_required = Two-step login is now required for organisers and jury members.
flash-two_factor_not_required = Two-step login is no longer required.
flash-two_factor_reset = Two-step login of this account has been turned off. A message about it has been sent.
users-two_factor_policy = Two-step login
users-two_factor_required = Require two-step login for organisers and jury members
users-two_factor = Two-step login
users-two_factor_on = on
users-two_factor_off = off
users-two_factor_reset = Turn off two-step login
confirm-two_factor_reset_title = Turn off two-step login for this account?
confirm-two_factor_reset_effect = The key, the recovery codes and the remembered browsers of this account will be deleted. At the next login the password will be enough, and if two-step login is required the person will set it up again.
confirm-two_factor_reset_mail = The person using the account will receive an email about it.
confirm-two_factor_reset_own = You turn off your own two-step login on your account page, with your password and a code.
two_factor-setup_code_invalid = The code is wrong. Enter the current code the app shows.
confirm-two_factor_reset_off = This account does not have two-step login turned on.
email-two_factor_off-subject = Two-step login has been turned off – “Local Government Digitalisation Leader” competition
email-two_factor_off-body = Two-step login for your account on the “Local Government Digitalisation Leader” competition website has been turned off.
email-two_factor_off-reset_body = The organiser has turned off two-step login for your account on the “Local Government Digitalisation Leader” competition website, for example after a lost phone was reported. You can turn it on again in your account settings.
email-two_factor_off-when = Changed on
email-two_factor_off-not_you = If this was not you and nobody asked for this change, change your password at once and contact the organiser.
audit-kind-site_two_factor_policy = Two-step login requirement changed
audit-kind-user_two_factor_enable = Two-step login turned on
audit-kind-user_two_factor_disable = Two-step login turned off
audit-kind-user_two_factor_recovery = Logged in with a recovery code
audit-kind-user_two_factor_reset = Organiser turned off two-step login of an account
audit-d_two_factor_required = Required for organisers and jury members
audit-yes = yes
audit-no = no
two_factor-qr_label = QR code to scan with the authenticator app. It holds the key given in text below.
## GDPR (issue 12)
account-data_download = Download your data (JSON)
settings-data = Your personal data
settings-data_hint = The file holds your account, your institution and its entries (with the names of attachments), the emails sent to you and the audit log entries about you.
acknowledge-title = Updated privacy notice
acknowledge-lead = The organiser has changed the information on how personal data are processed. Please read it before you go on.
acknowledge-version = Notice version
acknowledge-button = I have read the privacy notice
flash-privacy_acknowledged = Your acknowledgement of the privacy notice has been recorded.
flash-erased_stays_blocked = This person's data have been erased, so the account stays blocked.
flash-anonymised = The personal data have been erased.
users-anonymise = Erase personal data
users-anonymise_institution = Erase institution's data
users-anonymised = data erased
anonymise-user_title = Erase this person's personal data?
anonymise-institution_title = Erase the institution's contact data and its members' data?
anonymise-button = Erase personal data
anonymise-members = People in the institution's account
anonymise-user_effect = The name, email address, affiliation and password will be erased and the account blocked. Sessions, links and remembered sign-in addresses will be deleted. The text of emails sent to this person will be erased, as will contact details in entries that name them.
anonymise-institution_effect = The institution's contact person, phone and street, the contact details in its entries, the text of emails to it and the personal data of everyone in its account will be erased.
anonymise-name_kept = The institution's name stays, because published results of the competition are public information.
anonymise-audit_effect = The audit log will keep only who erased the data and when, without the erased data.
anonymise-final = This cannot be undone.
anonymise-refused_entries = These data cannot be erased now: there are entries in an edition whose results have not been published yet. Number of such entries: { $n }.
anonymise-refused_jury = These data cannot be erased now: this person has entries to judge in an edition whose results have not been published yet. Number of assignments: { $n }.
anonymise-refused_organiser = An organiser's account is not erased on this page.
anonymise-already = The personal data have already been erased.
audit-kind-user_anonymise = Personal data erased
audit-kind-institution_anonymise = Institution's contact data erased
audit-kind-privacy_acknowledge = Privacy notice acknowledged
privacy-by_creating = By creating the account you confirm that you have read the privacy notice.
edition-retention = Retention of personal data (years after the results are published)
edition-hint_retention = After this time the personal data of this edition's applicants and jurors, its attachments and the text of its emails are erased. 5 unless changed.
edition-err_retention = Enter a number from 1 to 50.
audit-by_retention = the edition's retention period has passed

## Issue 12, continued: recovery codes, security messages, the rule's confirmation
two_factor-recovery_low = Three or fewer unused recovery codes are left. Make new ones before they run out.
two_factor-throttled = Too many failed attempts. Try again after { $time }.
two_factor-new_codes_link = Make new recovery codes
two_factor-new_codes_title = New recovery codes
two_factor-new_codes_intro = The new codes replace all the current ones: the old recovery codes will stop working. To make them, give your password and the current code from the app or a recovery code.
two_factor-new_codes_submit = Make new codes
two_factor-codes_replaced = New recovery codes have been made. The previous codes no longer work.
flash-recovery_code_used_low = You logged in with a recovery code. That code will not work again. Three or fewer recovery codes are left: make new ones on the “Two-step login” page of your account settings.
email-two_factor_on-subject = Two-step login has been turned on – “Local Government Digitalisation Leader” competition
email-two_factor_on-body = Two-step login for your account on the “Local Government Digitalisation Leader” competition website has been turned on. Every time you log in you will need a code from your authenticator app or a recovery code as well as your password.
email-two_factor_codes-subject = New recovery codes – “Local Government Digitalisation Leader” competition
email-two_factor_codes-body = New two-step login recovery codes have been made for your account on the “Local Government Digitalisation Leader” competition website. The previous recovery codes no longer work.
email-two_factor_recovery-subject = Login with a recovery code – “Local Government Digitalisation Leader” competition
email-two_factor_recovery-body = Someone logged in to your account on the “Local Government Digitalisation Leader” competition website with a recovery code instead of a code from the authenticator app. That code will not work again.
email-two_factor_recovery-when = Logged in on
email-two_factor_recovery-low = Few recovery codes are left. Make new ones on your account page, under “Two-step login”.
audit-kind-user_two_factor_codes = New recovery codes made
audit-d_attachments_deleted = Attachments deleted
anonymise-attachments = Entry attachments to delete
anonymise-attachments_effect = The files attached to all the institution's entries will be deleted, as they may hold personal data (names and signatures, for example). Published results keep only the names of institutions and projects.
confirm-two_factor_policy_on_title = Require two-step login for organisers and jury members?
confirm-two_factor_policy_off_title = Stop requiring two-step login?
confirm-two_factor_policy_staff = Organiser and jury member accounts
confirm-two_factor_policy_without = Of which without two-step login
confirm-two_factor_policy_on_button = Require two-step login
confirm-two_factor_policy_off_button = Stop requiring two-step login
confirm-two_factor_policy_already_on = Two-step login is already required.
confirm-two_factor_policy_already_off = Two-step login is not required.
confirm-two_factor_policy_on_effect = Organiser and jury member accounts without two-step login will be sent to turn it on after they log in, and cannot use the website until they do.
confirm-two_factor_policy_on_count = { $n ->
        [0] All these accounts already have two-step login on.
        [one] One account still has to turn on two-step login.
       *[other] { $n } accounts still have to turn on two-step login.
    }
confirm-two_factor_policy_on_self = This applies to your account too: if it has no two-step login, the website will ask you to turn it on straight away.
confirm-two_factor_policy_off_effect = Organisers and jury members will be able to log in with their password alone.
confirm-two_factor_policy_off_kept = Accounts that have two-step login on keep it; anyone can turn theirs off on their account page.
audit-kind-user_two_factor_remember = Browser remembered for two-step login
## Entry list: search, sort, award filter, neighbours, bulk accept (issue 13)
entrylist-search = Search
entrylist-search_hint = In the title, the institution's name or the reference number. Case and Polish letters do not matter.
entrylist-award = Award
entrylist-award_any = All
entrylist-award_place = Place (1st–3rd)
entrylist-award_mention = Honourable mention
entrylist-award_none = No award
entrylist-csv_filtered = Download these entries as CSV
entrylist-select = Selection
entrylist-select_entry = Select entry
entrylist-bulk_open = Accept the selected entries
entrylist-bulk_title = Accept the selected entries?
entrylist-bulk_button = Accept
entrylist-back = Back to the list of entries
entrylist-bulk_none_selected = No entry was selected. Go back to the list and select the entries you want to accept.
entrylist-bulk_none_acceptable = None of the selected entries can be accepted now: only a submitted entry can be accepted, after the call has closed.
entrylist-bulk_effect =
    { $n ->
        [one] One entry will be accepted and passed to the jurors of its category.
       *[other] { $n } entries will be accepted and passed to the jurors of their categories.
    }
entrylist-bulk_emails = Each applicant will be notified by email, as when a single entry is accepted.
entrylist-bulk_to_accept = Entries to accept
entrylist-bulk_left = Entries that cannot be accepted (left unchanged)
entrylist-done_title = Accepting the selected entries
entrylist-done_count =
    { $n ->
        [0] No entry was accepted.
        [one] One entry was accepted.
       *[other] { $n } entries were accepted.
    }
entrylist-done_accepted = Accepted entries
entrylist-done_left = Entries left unchanged
entrylist-done_left_why = These entries could not be accepted: their state changed meanwhile (for example, someone else decided on them or the entry was withdrawn).
entrylist-neighbours = Neighbouring entries in the list
entrylist-prev = Previous entry
entrylist-next = Next entry
entrylist-accept_next = Accept and go to the next entry
entrylist-err_accept_next_other = The “Accept…” button only accepts the entry. To reject it or return it for correction, use “Save the decision”.
entrylist-accept_back = Accept and go back to the list
jury-neighbours = Neighbouring entries in your list
jury-prev_entry = Previous entry
jury-next_entry = Next entry
jury-live_total = Weighted total of the points typed (before saving)
## Issue 13: attachments as ZIP, organisers' digest and juror notices
zip-entry = Download all attachments (ZIP)
zip-categories = Attachments of the entries by category (ZIP)
zip-category = Download the attachments of category { $code } (ZIP)
zip-empty_title = No attachments to download
zip-empty_body = The entries this download covers have no attachments, so there is nothing to put into a ZIP file.
zip-back = Go back
mail_settings-title = Email notifications
mail_settings-digest = A daily digest of new entries
mail_settings-digest_hint = Once a day, at about 7:00 (Warsaw time), the entries submitted since the previous digest. When nothing has arrived, no message is sent.
mail_settings-juror_done = A notice when a juror has scored every entry on their list
mail_settings-juror_done_hint = A message each time a juror finishes, also after a score was reopened and submitted again.
mail_settings-save = Save notification settings
email-digest-subject = New entries – “Local Government Digitalisation Leader” competition
email-digest-body = { $n ->
        [one] Since the previous digest, { $n } entry has been submitted.
       *[other] Since the previous digest, { $n } entries have been submitted.
    } Details below: reference number, title, institution and link.
email-digest-action = Go to the list of entries
email-digest-settings = You can turn this digest off in your account settings, under “Email notifications”.
email-juror_finished-subject = A juror has scored every entry – “Local Government Digitalisation Leader” competition
email-juror_finished-body = A juror has submitted the scores of every entry on their list.
email-juror_finished-juror = Juror
email-juror_finished-count = Entries scored
email-juror_finished-action = See the juror's scores
email-juror_finished-settings = You can turn these notices off in your account settings, under “Email notifications”.
## charts: the organisers' charts and the announcement's progress
charts-arrivals = Entries over time
charts-arrivals_total =
    { $n ->
        [one] { $n } entry submitted so far.
       *[other] { $n } entries submitted so far.
    }
charts-arrivals_title = Entries in category { $code } day by day
charts-arrivals_desc = Running total of entries on each day since the call opened ({ $opens }); the dashed line marks the deadline ({ $closes }). Total: { $n }.
charts-deadline = deadline
charts-arrivals_empty = No entries have been submitted yet.
charts-arrivals_table = Entries per day (table)
charts-day = Day
charts-running_total = Total so far
charts-progress_empty = No entries have been assigned for judging yet.
charts-progress_categories_title = Judging progress by category
charts-progress_categories_desc = For each category: judgements submitted out of those due.
charts-progress_jurors_title = Judging progress by juror
charts-progress_jurors_desc = For each juror with assigned entries: judgements submitted out of entries assigned.
charts-of = { $done } of { $total } ({ $pct }%)
charts-distribution_title = Score distribution in category { $code }
charts-distribution_desc = Entries in ranking order: the dot is the mean of the jurors' weighted totals, the line with end ticks the range from the lowest to the highest total. Scale from 0 to { $max } points.
charts-histogram_desc = Entries with scores: { $n }. The chart shows how many of them have a mean total in each band { $step } points wide.
charts-bin = { $from }–{ $to } points
charts-entries_n =
    { $n ->
        [one] { $n } entry
       *[other] { $n } entries
    }
charts-range_value = { $mean } ({ $min }–{ $max })
charts-distribution_empty = No judgements submitted in this category yet.
charts-distribution_table = The score distribution's numbers
charts-mean = Mean
charts-min = Lowest total
charts-max = Highest total
charts-bin_col = Mean total
charts-count_col = Entries
charts-severity_title = How each juror scores
charts-severity_desc = For each juror, highest mean first: the dot is the mean of their weighted totals, the line the mean plus or minus the standard deviation. The hatched band is the whole jury's mean plus or minus its standard deviation ({ $mean } ± { $sd }), the dashed line the jury's mean.
charts-severity_hint = A dot consistently outside the band marks a juror who scores clearly higher or lower than the others. Normalising each juror's totals before averaging evens out such differences; how scores are combined is set before judging starts.
charts-severity_settings = Judging settings
charts-severity_empty = No judgements submitted yet.
charts-severity_table = The severity chart's numbers
charts-sev_value = { $mean } ± { $sd }
charts-judgements = Judgements
charts-sd = Standard deviation
charts-diff = Difference from the jury's mean
charts-whole_jury = Whole jury
progress-title = Announcement progress
progress-none = The announcement has not been sent yet.
progress-status = Sent: { $sent } of { $total }. Queued: { $queued }. Failed: { $failed }.
progress-audience = Recipients
progress-queued = Queued
progress-sent = Sent
progress-failed = Failed
progress-failed_hint = Failed messages can be sent again: announcing again reaches only those it has not reached, and single messages can be retried in the email list.
progress-outbox = Emails
progress-refresh = Refresh the sending progress
## end charts
