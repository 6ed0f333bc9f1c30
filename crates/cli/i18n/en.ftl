# mailcase messages, English.
error-prefix = error:
warning-prefix = warning:
bad-zone = unknown time zone “{ $zone }” (use an IANA name such as Europe/Paris)
bad-time = cannot read the time “{ $time }” (expected 2026-11-20 14:35, or ISO 8601)
bad-size = cannot read the size “{ $size }” (expected 500MB, 1GB...)
bad-ip = not an IP address: { $ip }
sample-generating = Generating sample evidence in { $dir }
sample-done = Sample evidence written to { $dir } (see ground-truth.json there).
geoip-imported = GeoIP databases ready in { $dir }
geoip-import-failed = cannot import the GeoIP packages from { $dir }
geoip-open-failed = cannot open the GeoIP databases in { $dir }
geoip-missing = warning: no GeoIP database found: countries and ASNs will be empty. Run scripts/setup-geoip.sh, or pass --geoip-dir.
case-created = Case created: { $dir }
case-opened = Case opened: { $dir }
case-open-failed = cannot open the case { $dir }
no-evidence-files = no evidence file found in the paths given
evidence-already = { $file }: already imported (same SHA-256), nothing to do.
evidence-resume = { $file }: a previous import did not finish; resuming.
evidence-unrecognised = { $file }: format not recognised; the file is registered but not parsed. Is it an export of a supported log?
evidence-failed = { $file }: import failed: { $reason }
evidence-format = { $file }: { $format }
import-done = { $file }: { $events ->
    [one] 1 event
   *[other] { $events } events
  }, { $warnings ->
    [0] no warning
    [one] 1 warning
   *[other] { $warnings } warnings
  }.
import-warning = { $file }, record { $record }: { $message }
import-more-warnings = { $file }: { $count } more warnings (see: mailcase evidence warnings --case { $case } { $id })
summary-title = Summary
summary-files = Evidence files: { $new } imported, { $skipped } already present, { $failed } not parsed
summary-events = Events in the case: { $events }, accounts: { $accounts }
summary-report = Report: { $path }
summary-next = Next: mailcase events --case { $case } --account ACCOUNT, mailcase timeline --case { $case }, mailcase journal add --case { $case } "..."
journal-investigate-start = Investigation started on { $count ->
    [one] 1 path
   *[other] { $count } paths
  }: { $paths }
journal-evidence-imported = Evidence imported: { $file } (SHA-256 { $sha256 }, { $format }): { $events } events, { $warnings } warnings
journal-evidence-unrecognised = Evidence registered but not parsed (format not recognised): { $file } (SHA-256 { $sha256 })
journal-investigate-end = Investigation finished: { $events } events in the case
journal-report-written = Report written: { $path }
journal-timeline-added = Timeline entry added: { $action }
journal-added = Entry { $seq } added.
journal-struck = Entry { $seq } struck by entry { $by }.
journal-verify-ok = Journal intact: { $count } entries, hash chain verified.
journal-verify-bad = JOURNAL ALTERED: { $count ->
    [one] 1 problem
   *[other] { $count } problems
  } found.
journal-problem = entry { $seq }: { $problem }
timeline-added = Timeline entry added.
report-written = Report written: { $path }
query-truncated = (output limited to { $limit } rows; use --limit)
events-truncated = (output limited to { $limit } events; use --limit)
col-time = time
act-sign-in = Sign-in { $app }
act-forwarding-set = Forwarding set to { $target } (keep a copy: { $keep })
act-forwarding-cleared = Forwarding cleared
act-transport-rule = Transport rule { $name } changed (recipients: { $recipients })
act-permission-granted = Permission { $rights } granted to { $grantee }
act-permission-removed = Permission { $rights } removed from { $grantee }
act-app-consent = Application { $app } granted access ({ $scopes }; admin consent: { $admin })
act-app-credential = Credential added to application { $app }
act-mfa-added = MFA method registered { $method }
act-mfa-removed = MFA method removed { $method }
act-password-reset = Password reset
act-password-changed = Password changed
act-mail-sent = Mail sent ({ $how }) { $subject }
act-mail-accessed = { $count } mail accesses { $kind }
act-mail-deleted = { $count } mails deleted ({ $kind ->
    [move] moved to Deleted Items
    [soft] soft delete
   *[hard] hard delete
  })
act-mail-moved = { $count } mails moved to { $folder }
act-search = Mailbox search { $query }
act-export = Mail export { $what }
act-audit-config = Audit configuration changed: { $operation } { $params }
act-mailbox-settings = Mailbox settings changed: { $operation } { $params }
act-account-created = Account created
act-account-disabled = Account disabled
act-account-enabled = Account enabled
act-role-added = Role { $role } granted
act-role-removed = Role { $role } removed
act-message-trace = Mail from { $sender } to { $recipient } { $subject }
act-inbox-rule = Inbox rule { $name } { $change ->
    [created] created
    [modified] modified
    [enabled] enabled
    [disabled] disabled
    [removed] removed
   *[listed] present
  }: { $details }
rule-forward = forward to { $to }
rule-move = move to { $folder }
rule-delete = delete
rule-mark-read = mark as read
rule-stop = stop processing rules
col-seq = no.
col-occurred = when
col-author = author
col-kind = kind
col-text = text
journal-strike-text = strikes entry { $seq }: { $reason }
journal-struck-mark = [STRUCK by { $by }]
journal-head = Chain head (keep it outside the case to detect a rewritten chain): { $hash }
journal-problem-missing = entries { $from } to { $to }: removed
journal-problem-tail = entries { $from } to { $to }: removed from the end
problem-altered = altered after it was written (hash mismatch)
problem-reordered = out of order (it follows entry { $other })
problem-broken-link = does not follow the previous entry (broken chain)
problem-unreadable = unreadable ({ $reason })
format-unrecognised = not recognised
case-required = a case directory is needed: --case DIR (or MAILCASE_CASE)
geoip-import-summary = { $countries } country database(s); ASN table: { $v4 } IPv4 and { $v6 } IPv6 ranges ({ $skipped } rows skipped)
detection-not-run = (detection has not run on this case yet: mailcase hunt --case { $case })
verdict-compromised = COMPROMISED
verdict-suspicious = suspicious
verdict-no-evidence = no evidence
detect-running = Detection
detect-title = Detection
detect-rules = Rules: { $loaded } loaded, { $unsupported } not applicable or unsupported (mailcase rules list)
detect-findings = Findings: { $findings } (mailcase findings --case ...)
detect-skipped = warning: { $count } stored events could not be read back and were skipped
detect-compromised = COMPROMISED: { $account }
detect-suspicious = suspicious: { $account }
detect-nothing = No account is suspicious or compromised on this evidence.
journal-detection = Detection run: { $rules } rules, { $findings } findings, { $compromised } account(s) compromised, { $suspicious } suspicious
pivot-what = say what to pivot on: --ip, --account, --user-agent, --asn or --session
pivot-no-indicators = { $account } has no finding with indicators yet (run mailcase hunt, or pivot on --ip)
rules-count = { $loaded } rules loaded, { $unsupported } not applicable or unsupported
rules-test-missing = the shipped rules carry no examples yet
