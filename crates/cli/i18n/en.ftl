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
act-web-request = Web request { $method } { $url } ({ $status })
act-app-password-added = Application password created { $name }
act-app-password-removed = Application password revoked { $name }

## Command-line help. English help and errors come from clap and the doc comments of
## src/args.rs; these entries mirror them for translators (a test keeps them equal).
## Ids: help-<command>[-<subcommand>][-<argument>]; help-arg-<argument> is shared by the
## commands whose argument says the same; help-value-*: value names; help-possible-*:
## enum values; help-flag-*, help-cmd-*, help-heading-*, help-spec-*, clap-*: clap's own.
help-about = mailcase: incident-response workbench for compromised mailboxes
help-lang = Language of messages and reports (default: the case's, then the system locale)
help-quiet = Do not show progress bars
help-arg-dir = Case directory
help-arg-case = Case directory
help-arg-format = Output format
help-arg-author = Author (default: the system user)
help-arg-tz = Zone of `--at` when it has none (default: the case's)
help-arg-rules = More Sigma rule folders
help-arg-out = Output directory
help-investigate = Import evidence into a case (created if needed), normalise, enrich, and write the report
help-investigate-evidence = Evidence files or directories (searched recursively)
help-investigate-org-domains = Domains of the organisation (repeat or separate with commas)
help-investigate-name = Name of the case (new cases; default: the directory name)
help-investigate-tz = Time zone of the case, IANA name (new cases; default Europe/Paris)
help-investigate-no-copy = Reference the evidence in place instead of copying it into the case
help-investigate-geoip-dir = Directory of MaxMind-format GeoIP databases
help-investigate-author = Who runs the investigation (journal author; default: the system user)
help-investigate-no-report = Do not write the report at the end
help-investigate-no-detect = Do not run detection after the import
help-investigate-rules = More Sigma rule folders to run besides the shipped pack
help-events = List the normalised events of a case
help-events-account = Only this account
help-events-source = Only this source (`m365_ual`, `entra_signin`...)
help-events-action = Only this action (`sign_in`, `inbox_rule_created`...)
help-events-ip = Only this client address
help-events-since = From this time (ISO 8601; without zone: the case's zone)
help-events-until = Until this time
help-events-limit = At most this many events
help-query = Run read-only SQL on the case database (table `events`, `evidence`, `journal`...)
help-query-sql = The SQL (read-only)
help-query-limit = At most this many rows
help-timeline = Show the compromise timeline, or add an entry to it
help-timeline-add = Add an entry by hand
help-timeline-add-at = When it happened ("2026-11-20 14:35", ISO 8601)
help-timeline-add-source = Where it is known from (a log, a user's account, a call...)
help-timeline-add-actor = Who acted (the attacker, a user, an address)
help-timeline-add-account = The account concerned
help-timeline-add-action = What happened
help-timeline-add-comment = Comment
help-timeline-add-author = Author of the entry (default: the system user)
help-journal = The incident log (main courante): add, strike, show, verify
help-journal-add = Record what happened or was done
help-journal-add-text = The text of the entry
help-journal-add-at = When it happened, if earlier than now ("2026-11-20 14:35")
help-journal-add-concerns = Machines or accounts concerned (repeat or separate with commas)
help-journal-add-kind = Kind of entry
help-journal-strike = Strike an entry (it stays readable), with the reason
help-journal-strike-seq = Number of the entry to strike
help-journal-strike-reason = Why it is wrong
help-journal-show = Show the journal
help-journal-verify = Check that no entry was altered, removed or reordered
help-evidence = The evidence registry of a case
help-evidence-list = List the evidence files with their hashes and counts
help-evidence-warnings = Show the parse warnings of one evidence file
help-evidence-warnings-id = Evidence id (see `evidence list`)
help-report = Write the case report again (HTML and JSON in `reports/`)
help-report-geoip-dir = Directory of GeoIP databases (only for the attribution lines)
help-findings = Findings of the last detection run
help-findings-account = Only findings about this account
help-findings-min-severity = Only findings at least this severe
help-findings-rule = Only this rule or analytic
help-findings-events = Also list each finding's events
help-accounts = Verdict per account, with the reasons
help-accounts-all = Also list the accounts with no evidence
help-indicators = The attacker's indicators, with where each was seen
help-hunt = Run detection again (after adding rules, or to use your own rule folders)
help-hunt-rules = More Sigma rule folders (searched recursively)
help-hunt-author = Who runs it (journal author)
help-hunt-geoip-dir = Directory of GeoIP databases (for the report's attribution)
help-hunt-urls = A phishing URL: list who visited it in the proxy logs (prefix match, any scheme; repeatable)
help-hunt-domains = A phishing domain: its visitors in the proxy logs and the recipients of mail sent from it (repeatable)
help-hunt-format = Output format (with --url or --domain)
help-pivot = Everything one indicator touches: accounts, times, actions
help-pivot-ip = A client address
help-pivot-account = An account: its addresses, user agents and sessions, searched in other accounts
help-pivot-user-agent = A user agent (exact)
help-pivot-asn = An autonomous system number
help-pivot-session = A session id
help-rules = The detection rules: what is loaded, what is not and why
help-rules-list = List the loaded rules and those that cannot run, with the reason
help-rules-test = Run each rule's own positive and negative examples
help-sample = Generate realistic sample evidence (a small organisation and a BEC story)
help-sample-generate = Write sample exports and their ground truth into a directory
help-sample-generate-seed = Random seed (same seed, same files)
help-sample-generate-users = Number of users
help-sample-generate-days = Number of days
help-sample-generate-size = Grow the files to about this size (`500MB`, `1GB`) with normal activity
help-sample-generate-benign = Leave the attack out: ordinary activity only, to measure detection noise
help-sample-generate-platform = Mail platform whose evidence is generated
help-geoip = GeoIP databases: import the redistributable ones, look an address up
help-geoip-import = Import the ip-location-db packages (extracted) into a GeoIP directory
help-geoip-import-src = Directory holding the extracted npm packages
help-geoip-lookup = Look addresses up
help-geoip-lookup-ips = Addresses
help-geoip-lookup-geoip-dir = Directory of GeoIP databases
help-possible-fr = Français
help-possible-en = English
help-possible-table = Aligned columns for people
help-possible-csv = CSV (spreadsheet formulas neutralised)
help-possible-json = JSON array of objects with stable field names
help-possible-note = Something observed or learnt
help-possible-action = Something done
help-possible-informational = Informational and above
help-possible-low = Low and above
help-possible-medium = Medium and above
help-possible-high = High and above
help-possible-critical = Critical only
help-possible-m365 = Microsoft 365 exports of a hospital
help-possible-dovecot = Debian mail.log (Dovecot and Postfix) of a university
help-value-platform = PLATFORM
help-value-command = COMMAND
help-value-account = ACCOUNT
help-value-action = ACTION
help-value-actor = ACTOR
help-value-asn = ASN
help-value-at = AT
help-value-author = AUTHOR
help-value-comment = COMMENT
help-value-concerns = CONCERNS
help-value-days = DAYS
help-value-dir = DIR
help-value-evidence = EVIDENCE
help-value-format = FORMAT
help-value-id = ID
help-value-ip = IP
help-value-ips = IPS
help-value-kind = KIND
help-value-lang = LANG
help-value-limit = LIMIT
help-value-min-severity = MIN_SEVERITY
help-value-name = NAME
help-value-org-domains = ORG_DOMAINS
help-value-out = OUT
help-value-reason = REASON
help-value-rule = RULE
help-value-seed = SEED
help-value-seq = SEQ
help-value-session = SESSION
help-value-since = SINCE
help-value-size = SIZE
help-value-source = SOURCE
help-value-sql = SQL
help-value-src = SRC
help-value-text = TEXT
help-value-tz = TZ
help-value-until = UNTIL
help-value-user-agent = USER_AGENT
help-value-url = URL
help-value-domain = DOMAIN
help-value-users = USERS
help-flag-help = Print help
help-flag-help-more = Print help (see more with '--help')
help-flag-help-more-long = Print help (see a summary with '-h')
help-flag-version = Print version
help-cmd-help = Print this message or the help of the given subcommand(s)
help-heading-usage = Usage:
help-heading-commands = Commands:
help-heading-arguments = Arguments:
help-heading-options = Options:
help-heading-possible = Possible values:
help-spec-env = env:
help-spec-default = default:
help-spec-possible = possible values:
clap-quoted = '{ $text }'
clap-tip = tip:
clap-tip-similar = { $count ->
    [one] a similar { $what } exists: { $names }
   *[other] some similar { $what }s exist: { $names }
  }
clap-more-info = For more information, try { $flag }.
clap-no-equals = equal sign is needed when assigning values to { $arg }
clap-value-required = a value is required for { $arg } but none was supplied
clap-invalid-value = invalid value { $value } for { $arg }
clap-possible-values = [possible values: { $values }]
clap-unknown-subcommand = unrecognized subcommand { $name }
clap-missing-required = the following required arguments were not provided:
clap-missing-subcommand = { $name } requires a subcommand but one was not provided
clap-possible-subcommands = [subcommands: { $values }]
clap-too-many-values = unexpected value { $value } for { $arg } found; no more were expected
clap-wrong-number-of-values = { $expected } values required for { $arg } but { $actual } provided
clap-invalid-value-reason = invalid value { $value } for { $arg }: { $reason }
clap-unknown-argument = unexpected argument { $arg } found
clap-invalid-utf8 = invalid UTF-8 was detected in one or more arguments
clap-used-twice = the argument { $arg } cannot be used multiple times
clap-conflict = the argument { $arg } cannot be used with { $others }

# hunt --url / --domain
hunt-bad-url = ignored: { $url } is not a URL
hunt-bad-domain = ignored: { $domain } is not a domain name
hunt-url-posted = { $account } ({ $ip }) sent a POST to { $indicator }: credentials likely typed
journal-hunt-url = Phishing-site hunt ({ $searched }): { $visitors } visitor(s) in the proxy logs, { $posted } of them sent a POST (credentials likely typed); { $recipients } recipient(s) of mail from the domain
rules-test-summary = { $total } examples run, { $failed } failed
evidence-empty = { $file }: an export with no record (nothing to parse).
journal-evidence-empty = Evidence registered, holding no record: { $file } (SHA-256 { $sha256 })
format-empty = empty export
