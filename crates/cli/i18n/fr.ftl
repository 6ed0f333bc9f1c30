# Messages de mailcase, français.
error-prefix = erreur :
warning-prefix = attention :
bad-zone = fuseau horaire inconnu « { $zone } » (utilisez un nom IANA comme Europe/Paris)
bad-time = impossible de lire l’heure « { $time } » (attendu : 2026-11-20 14:35, ou ISO 8601)
bad-size = impossible de lire la taille « { $size } » (attendu : 500MB, 1GB…)
bad-ip = ce n’est pas une adresse IP : { $ip }
sample-generating = Génération des preuves d’exemple dans { $dir }
sample-done = Preuves d’exemple écrites dans { $dir } (voir ground-truth.json).
geoip-imported = Bases GeoIP prêtes dans { $dir }
geoip-import-failed = impossible d’importer les paquets GeoIP depuis { $dir }
geoip-open-failed = impossible d’ouvrir les bases GeoIP de { $dir }
geoip-missing = attention : aucune base GeoIP trouvée : pays et AS resteront vides. Lancez scripts/setup-geoip.sh, ou passez --geoip-dir.
case-created = Dossier créé : { $dir }
case-opened = Dossier ouvert : { $dir }
case-open-failed = impossible d’ouvrir le dossier { $dir }
no-evidence-files = aucun fichier de preuve trouvé dans les chemins donnés
evidence-already = { $file } : déjà importé (même SHA-256), rien à faire.
evidence-resume = { $file } : un import précédent n’a pas abouti ; reprise.
evidence-unrecognised = { $file } : format non reconnu ; le fichier est enregistré mais pas analysé. Est-ce bien l’export d’un journal pris en charge ?
evidence-failed = { $file } : échec de l’import : { $reason }
evidence-format = { $file } : { $format }
import-done = { $file } : { $events ->
    [one] 1 événement
   *[other] { $events } événements
  }, { $warnings ->
    [0] aucun avertissement
    [one] 1 avertissement
   *[other] { $warnings } avertissements
  }.
import-warning = { $file }, enregistrement { $record } : { $message }
import-more-warnings = { $file } : { $count } autres avertissements (voir : mailcase evidence warnings --case { $case } { $id })
summary-title = Bilan
summary-files = Fichiers de preuve : { $new } importés, { $skipped } déjà présents, { $failed } non analysés
summary-events = Événements dans le dossier : { $events }, comptes : { $accounts }
summary-report = Rapport : { $path }
summary-next = Ensuite : mailcase events --case { $case } --account COMPTE, mailcase timeline --case { $case }, mailcase journal add --case { $case } "…"
journal-investigate-start = Investigation lancée sur { $count ->
    [one] 1 chemin
   *[other] { $count } chemins
  } : { $paths }
journal-evidence-imported = Preuve importée : { $file } (SHA-256 { $sha256 }, { $format }) : { $events } événements, { $warnings } avertissements
journal-evidence-unrecognised = Preuve enregistrée mais non analysée (format non reconnu) : { $file } (SHA-256 { $sha256 })
journal-investigate-end = Investigation terminée : { $events } événements dans le dossier
journal-report-written = Rapport écrit : { $path }
journal-timeline-added = Entrée ajoutée à la chronologie : { $action }
journal-added = Entrée { $seq } ajoutée.
journal-struck = Entrée { $seq } barrée par l’entrée { $by }.
journal-verify-ok = Main courante intègre : { $count } entrées, chaîne de hachage vérifiée.
journal-verify-bad = MAIN COURANTE ALTÉRÉE : { $count ->
    [one] 1 problème trouvé
   *[other] { $count } problèmes trouvés
  }.
journal-problem = entrée { $seq } : { $problem }
timeline-added = Entrée ajoutée à la chronologie.
report-written = Rapport écrit : { $path }
query-truncated = (sortie limitée à { $limit } lignes ; utilisez --limit)
events-truncated = (sortie limitée à { $limit } événements ; utilisez --limit)
col-time = heure
act-sign-in = Connexion { $app }
act-forwarding-set = Transfert vers { $target } activé (copie conservée : { $keep ->
    [yes] oui
    [no] non
   *[other] inconnu
  })
act-forwarding-cleared = Transfert supprimé
act-transport-rule = Règle de transport { $name } modifiée (destinataires : { $recipients })
act-permission-granted = Droit { $rights } accordé à { $grantee }
act-permission-removed = Droit { $rights } retiré à { $grantee }
act-app-consent = Accès accordé à l’application { $app } ({ $scopes } ; consentement administrateur : { $admin ->
    [yes] oui
   *[other] non
  })
act-app-credential = Secret ajouté à l’application { $app }
act-mfa-added = Méthode MFA enregistrée { $method }
act-mfa-removed = Méthode MFA supprimée { $method }
act-password-reset = Mot de passe réinitialisé
act-password-changed = Mot de passe changé
act-mail-sent = Message envoyé ({ $how }) { $subject }
act-mail-accessed = { $count } accès aux messages { $kind }
act-mail-deleted = { $count } messages supprimés ({ $kind ->
    [move] vers Éléments supprimés
    [soft] suppression récupérable
   *[hard] suppression définitive
  })
act-mail-moved = { $count } messages déplacés vers { $folder }
act-search = Recherche dans la boîte { $query }
act-export = Export de messages { $what }
act-audit-config = Configuration de l’audit modifiée : { $operation } { $params }
act-mailbox-settings = Paramètres de la boîte modifiés : { $operation } { $params }
act-account-created = Compte créé
act-account-disabled = Compte désactivé
act-account-enabled = Compte réactivé
act-role-added = Rôle { $role } attribué
act-role-removed = Rôle { $role } retiré
act-message-trace = Message de { $sender } à { $recipient } { $subject }
act-inbox-rule = Règle de boîte de réception { $name } { $change ->
    [created] créée
    [modified] modifiée
    [enabled] activée
    [disabled] désactivée
    [removed] supprimée
   *[listed] présente
  } : { $details }
rule-forward = transférer à { $to }
rule-move = déplacer vers { $folder }
rule-delete = supprimer
rule-mark-read = marquer comme lu
rule-stop = arrêter le traitement des règles
col-seq = n°
col-occurred = quand
col-author = auteur
col-kind = type
col-text = texte
journal-strike-text = barre l’entrée { $seq } : { $reason }
journal-struck-mark = [BARRÉE par { $by }]
journal-head = Tête de chaîne (à conserver hors du dossier pour détecter une chaîne réécrite) : { $hash }
journal-problem-missing = entrées { $from } à { $to } : supprimées
journal-problem-tail = entrées { $from } à { $to } : supprimées à la fin
problem-altered = modifiée après son écriture (empreinte différente)
problem-reordered = hors d’ordre (elle suit l’entrée { $other })
problem-broken-link = ne suit pas l’entrée précédente (chaîne rompue)
problem-unreadable = illisible ({ $reason })
format-unrecognised = non reconnu
case-required = il faut un dossier : --case DOSSIER (ou MAILCASE_CASE)
geoip-import-summary = { $countries } base(s) de pays ; table des AS : { $v4 } plages IPv4 et { $v6 } plages IPv6 ({ $skipped } lignes ignorées)
detection-not-run = (la détection n’a pas encore été lancée sur ce dossier : mailcase hunt --case { $case })
verdict-compromised = COMPROMIS
verdict-suspicious = suspect
verdict-no-evidence = rien de relevé
detect-running = Détection
detect-title = Détection
detect-rules = Règles : { $loaded } chargées, { $unsupported } hors périmètre ou non prises en charge (mailcase rules list)
detect-findings = Constats : { $findings } (mailcase findings --case …)
detect-skipped = attention : { $count } événements stockés n’ont pu être relus et ont été ignorés
detect-compromised = COMPROMIS : { $account }
detect-suspicious = suspect : { $account }
detect-nothing = Aucun compte suspect ou compromis sur ces preuves.
journal-detection = Détection : { $rules } règles, { $findings } constats, { $compromised } compte(s) compromis, { $suspicious } suspect(s)
pivot-what = indiquez le pivot : --ip, --account, --user-agent, --asn ou --session
pivot-no-indicators = { $account } n’a pas encore de constat avec indicateurs (lancez mailcase hunt, ou pivotez sur --ip)
rules-count = { $loaded } règles chargées, { $unsupported } hors périmètre ou non prises en charge
rules-test-missing = les règles livrées n’ont pas encore d’exemples
