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
act-web-request = Requête web { $method } { $url } ({ $status })
act-app-password-added = Mot de passe d’application créé { $name }
act-app-password-removed = Mot de passe d’application révoqué { $name }

## Aide de la ligne de commande (voir en.ftl pour les identifiants).
help-about = mailcase : atelier de réponse à incident pour boîtes aux lettres compromises
help-lang = Langue des messages et des rapports (par défaut : celle du dossier, sinon celle du système)
help-quiet = Ne pas afficher les barres de progression
help-arg-dir = Répertoire du dossier
help-arg-case = Répertoire du dossier
help-arg-format = Format de sortie
help-arg-author = Auteur (par défaut : l’utilisateur du système)
help-arg-tz = Fuseau de `--at` s’il n’en précise pas (par défaut : celui du dossier)
help-arg-rules = Répertoires de règles Sigma supplémentaires
help-arg-out = Répertoire de sortie
help-investigate = Importer des preuves dans un dossier (créé au besoin), les normaliser, les enrichir et écrire le rapport
help-investigate-evidence = Fichiers ou répertoires de preuves (parcourus récursivement)
help-investigate-org-domains = Domaines de l’organisation (répéter l’option ou séparer par des virgules)
help-investigate-name = Nom du dossier (nouveau dossier ; par défaut : le nom du répertoire)
help-investigate-tz = Fuseau horaire du dossier, nom IANA (nouveau dossier ; par défaut Europe/Paris)
help-investigate-no-copy = Référencer les preuves sur place au lieu de les copier dans le dossier
help-investigate-geoip-dir = Répertoire des bases GeoIP au format MaxMind
help-investigate-author = Qui mène l’investigation (auteur dans la main courante ; par défaut : l’utilisateur du système)
help-investigate-no-report = Ne pas écrire le rapport à la fin
help-investigate-no-detect = Ne pas lancer la détection après l’import
help-investigate-rules = Répertoires de règles Sigma à exécuter en plus du jeu livré
help-events = Lister les événements normalisés d’un dossier
help-events-account = Seulement ce compte
help-events-source = Seulement cette source (`m365_ual`, `entra_signin`…)
help-events-action = Seulement cette action (`sign_in`, `inbox_rule_created`…)
help-events-ip = Seulement cette adresse client
help-events-since = À partir de cette heure (ISO 8601 ; sans fuseau : celui du dossier)
help-events-until = Jusqu’à cette heure
help-events-limit = Au plus ce nombre d’événements
help-query = Exécuter du SQL en lecture seule sur la base du dossier (tables `events`, `evidence`, `journal`…)
help-query-sql = La requête SQL (lecture seule)
help-query-limit = Au plus ce nombre de lignes
help-timeline = Afficher la chronologie de la compromission, ou y ajouter une entrée
help-timeline-add = Ajouter une entrée à la main
help-timeline-add-at = Quand c’est arrivé (« 2026-11-20 14:35 », ISO 8601)
help-timeline-add-source = D’où on le sait (un journal, le compte d’un utilisateur, un appel…)
help-timeline-add-actor = Qui a agi (l’attaquant, un utilisateur, une adresse)
help-timeline-add-account = Le compte concerné
help-timeline-add-action = Ce qui s’est passé
help-timeline-add-comment = Commentaire
help-timeline-add-author = Auteur de l’entrée (par défaut : l’utilisateur du système)
help-journal = La main courante : ajouter, barrer, afficher, vérifier
help-journal-add = Consigner un constat ou une action menée
help-journal-add-text = Le texte de l’entrée
help-journal-add-at = Quand c’est arrivé, si c’est antérieur à maintenant (« 2026-11-20 14:35 »)
help-journal-add-concerns = Machines ou comptes concernés (répéter l’option ou séparer par des virgules)
help-journal-add-kind = Type d’entrée
help-journal-strike = Barrer une entrée (elle reste lisible), en donnant le motif
help-journal-strike-seq = Numéro de l’entrée à barrer
help-journal-strike-reason = Pourquoi elle est erronée
help-journal-show = Afficher la main courante
help-journal-verify = Vérifier qu’aucune entrée n’a été modifiée, supprimée ou déplacée
help-evidence = Le registre des preuves d’un dossier
help-evidence-list = Lister les fichiers de preuve avec leurs empreintes et leurs décomptes
help-evidence-warnings = Afficher les avertissements d’analyse d’un fichier de preuve
help-evidence-warnings-id = Identifiant de la preuve (voir `evidence list`)
help-report = Réécrire le rapport du dossier (HTML et JSON dans `reports/`)
help-report-geoip-dir = Répertoire des bases GeoIP (uniquement pour les mentions d’attribution)
help-findings = Constats de la dernière détection
help-findings-account = Seulement les constats sur ce compte
help-findings-min-severity = Seulement les constats au moins aussi graves
help-findings-rule = Seulement cette règle ou cette analyse
help-findings-events = Lister aussi les événements de chaque constat
help-accounts = Verdict par compte, avec ses raisons
help-accounts-all = Lister aussi les comptes sans élément relevé
help-indicators = Les indicateurs de l’attaquant, avec où chacun a été vu
help-hunt = Relancer la détection (après ajout de règles, ou pour utiliser vos propres répertoires de règles)
help-hunt-rules = Répertoires de règles Sigma supplémentaires (parcourus récursivement)
help-hunt-author = Qui la lance (auteur dans la main courante)
help-hunt-geoip-dir = Répertoire des bases GeoIP (pour les mentions d’attribution du rapport)
help-hunt-urls = Une URL d’hameçonnage : qui l’a visitée d’après les journaux du proxy (préfixe, tout schéma ; répétable)
help-hunt-domains = Un domaine d’hameçonnage : ses visiteurs d’après les journaux du proxy et les destinataires des messages envoyés depuis ce domaine (répétable)
help-hunt-format = Format de sortie (avec --url ou --domain)
help-pivot = Tout ce que touche un indicateur : comptes, heures, actions
help-pivot-ip = Une adresse client
help-pivot-account = Un compte : ses adresses, user agents et sessions, recherchés dans les autres comptes
help-pivot-user-agent = Un user agent (valeur exacte)
help-pivot-asn = Un numéro de système autonome (AS)
help-pivot-session = Un identifiant de session
help-rules = Les règles de détection : celles qui sont chargées, celles qui ne le sont pas et pourquoi
help-rules-list = Lister les règles chargées et celles qui ne peuvent pas s’exécuter, avec la raison
help-rules-test = Exécuter les exemples positifs et négatifs propres à chaque règle
help-sample = Générer des preuves d’exemple réalistes (une petite organisation et une fraude au président)
help-sample-generate = Écrire des exports d’exemple et leur vérité de terrain dans un répertoire
help-sample-generate-seed = Graine aléatoire (même graine, mêmes fichiers)
help-sample-generate-users = Nombre d’utilisateurs
help-sample-generate-days = Nombre de jours
help-sample-generate-size = Faire grossir les fichiers jusqu’à environ cette taille (`500MB`, `1GB`) avec une activité normale
help-sample-generate-benign = Laisser l’attaque de côté : activité ordinaire seulement, pour mesurer le bruit de la détection
help-sample-generate-platform = Plateforme de messagerie dont les traces sont générées
help-geoip = Bases GeoIP : importer celles qui sont redistribuables, rechercher une adresse
help-geoip-import = Importer les paquets ip-location-db (extraits) dans un répertoire GeoIP
help-geoip-import-src = Répertoire contenant les paquets npm extraits
help-geoip-lookup = Rechercher des adresses
help-geoip-lookup-ips = Adresses
help-geoip-lookup-geoip-dir = Répertoire des bases GeoIP
help-possible-fr = Français
help-possible-en = English
help-possible-table = Colonnes alignées, pour la lecture
help-possible-csv = CSV (formules de tableur neutralisées)
help-possible-json = Tableau JSON d’objets aux noms de champs stables
help-possible-note = Un constat ou une information
help-possible-action = Une action menée
help-possible-informational = Informatif et au-dessus
help-possible-low = Faible et au-dessus
help-possible-medium = Moyen et au-dessus
help-possible-high = Élevé et au-dessus
help-possible-critical = Critique seulement
help-possible-m365 = Exports Microsoft 365 d’un hôpital
help-possible-dovecot = mail.log Debian (Dovecot et Postfix) d’une université
help-value-platform = PLATEFORME
help-value-command = COMMANDE
help-value-account = COMPTE
help-value-action = ACTION
help-value-actor = ACTEUR
help-value-asn = ASN
help-value-at = DATE
help-value-author = AUTEUR
help-value-comment = COMMENTAIRE
help-value-concerns = CONCERNÉS
help-value-days = JOURS
help-value-dir = RÉPERTOIRE
help-value-evidence = PREUVE
help-value-format = FORMAT
help-value-id = ID
help-value-ip = IP
help-value-ips = IP
help-value-kind = TYPE
help-value-lang = LANGUE
help-value-limit = LIMITE
help-value-min-severity = GRAVITÉ
help-value-name = NOM
help-value-org-domains = DOMAINES
help-value-out = RÉPERTOIRE
help-value-reason = MOTIF
help-value-rule = RÈGLE
help-value-seed = GRAINE
help-value-seq = NUMÉRO
help-value-session = SESSION
help-value-since = DÉBUT
help-value-size = TAILLE
help-value-source = SOURCE
help-value-sql = SQL
help-value-src = SOURCE
help-value-text = TEXTE
help-value-tz = FUSEAU
help-value-until = FIN
help-value-user-agent = USER_AGENT
help-value-url = URL
help-value-domain = DOMAINE
help-value-users = UTILISATEURS
help-flag-help = Afficher l’aide
help-flag-help-more = Afficher l’aide (plus de détails avec « --help »)
help-flag-help-more-long = Afficher l’aide (un résumé avec « -h »)
help-flag-version = Afficher la version
help-cmd-help = Afficher ce message ou l’aide des sous-commandes indiquées
help-heading-usage = Utilisation :
help-heading-commands = Commandes :
help-heading-arguments = Arguments :
help-heading-options = Options :
help-heading-possible = Valeurs possibles :
help-spec-env = variable :
help-spec-default = par défaut :
help-spec-possible = valeurs possibles :
clap-quoted = « { $text } »
clap-tip = astuce :
clap-tip-similar = { $what ->
    [subcommand] { $count ->
        [one] une sous-commande proche existe
       *[other] des sous-commandes proches existent
      }
    [argument] { $count ->
        [one] un argument proche existe
       *[other] des arguments proches existent
      }
   *[value] { $count ->
        [one] une valeur proche existe
       *[other] des valeurs proches existent
      }
  } : { $names }
clap-more-info = Pour en savoir plus, essayez { $flag }.
clap-no-equals = il faut un signe égal pour donner une valeur à { $arg }
clap-value-required = { $arg } attend une valeur, mais aucune n’a été donnée
clap-invalid-value = valeur { $value } invalide pour { $arg }
clap-possible-values = [valeurs possibles : { $values }]
clap-unknown-subcommand = sous-commande inconnue : { $name }
clap-missing-required = { $count ->
    [one] cet argument obligatoire manque :
   *[other] ces arguments obligatoires manquent :
  }
clap-missing-subcommand = { $name } attend une sous-commande, mais aucune n’a été donnée
clap-possible-subcommands = [sous-commandes : { $values }]
clap-too-many-values = valeur inattendue { $value } pour { $arg } : aucune autre n’était attendue
clap-wrong-number-of-values = { $arg } attend { $expected ->
    [one] 1 valeur
   *[other] { $expected } valeurs
  }, mais { $actual ->
    [0] aucune n’a été donnée
    [one] 1 a été donnée
   *[other] { $actual } ont été données
  }
clap-invalid-value-reason = valeur { $value } invalide pour { $arg } : { $reason }
clap-unknown-argument = argument inattendu : { $arg }
clap-invalid-utf8 = un argument au moins n’est pas de l’UTF-8 valide
clap-used-twice = l’argument { $arg } ne peut être donné qu’une fois
clap-conflict = l’argument { $arg } ne peut pas être utilisé avec { $others }

# hunt --url / --domain
hunt-bad-url = ignoré : { $url } n’est pas une URL
hunt-bad-domain = ignoré : { $domain } n’est pas un nom de domaine
hunt-url-posted = { $account } ({ $ip }) a envoyé un POST vers { $indicator } : identifiants probablement saisis
journal-hunt-url = Recherche du site d’hameçonnage ({ $searched }) : { $visitors } visiteur(s) dans les journaux du proxy, dont { $posted } ayant envoyé un POST (identifiants probablement saisis) ; { $recipients } destinataire(s) de messages venant du domaine
rules-test-summary = { $total } exemples exécutés, { $failed } en échec
evidence-empty = { $file } : export sans aucun enregistrement (rien à analyser).
journal-evidence-empty = Preuve enregistrée, sans aucun enregistrement : { $file } (SHA-256 { $sha256 })
format-empty = export vide
