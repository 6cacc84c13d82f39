// Français, avec le vouvoiement. Les espaces insécables avant « : » (U+00A0) et « ? » (U+202F) sont
// écrites en échappements \u pour rester visibles à la relecture.

import type { Messages } from './en.ts';

export const fr: Messages = {
  'common.productName': 'Tripod',
  'common.skipToContent': 'Aller au contenu principal',
  'common.mainNavigation': 'Navigation principale',
  'common.username': 'Nom d’utilisateur',
  'common.password': 'Mot de passe',
  'common.save': 'Enregistrer les modifications',
  'common.cancel': 'Annuler',
  'common.back': 'Retour',
  'common.yes': 'Oui',
  'common.no': 'Non',
  'common.accessRead': 'Lecture seule',
  'common.accessReadWrite': 'Lecture et écriture',
  'common.copy': 'Copier',
  'common.copied': 'Copié.',
  'common.errorSummary': 'Veuillez corriger les points suivants\u00a0:',

  'nav.myApps': 'Mes applications',
  'nav.connectedApps': 'Applications connectées',
  'nav.operator': 'Opérateur',
  'nav.signIn': 'Se connecter',
  'nav.signUp': 'Créer un compte',
  'nav.signOut': 'Se déconnecter',
  'nav.signedInAs': 'Connecté en tant que {user}',

  'authorize.pageTitle': 'Autoriser {app}\u202f?',
  'authorize.heading': 'Autoriser {app} à utiliser votre compte\u202f?',
  'authorize.aboutApp': 'À propos de cette application',
  'authorize.website': 'Site web',
  'authorize.registeredBy': 'Enregistrée par {owner}',
  'authorize.registeredByOperator': 'Enregistrée par l’opérateur de ce serveur',
  'authorize.accessLevel': 'Accès demandé',
  'authorize.canHeading': 'Cette application pourra\u00a0:',
  'authorize.canRead': 'Voir les informations de votre compte, comme votre nom d’utilisateur.',
  'authorize.canWrite': 'Publier et effectuer des modifications en votre nom.',
  'authorize.neverHeading': 'Elle ne pourra jamais\u00a0:',
  'authorize.neverPassword': 'Voir votre mot de passe.',
  'authorize.neverAccount': 'Modifier votre mot de passe ou les paramètres de votre compte.',
  'authorize.revokeHint': 'Vous pouvez retirer cet accès à tout moment dans Applications connectées.',
  'authorize.signedInAs': 'Connecté en tant que {user}.',
  'authorize.switchAccount': 'Utiliser un autre compte',
  'authorize.signInHeading': 'Connectez-vous pour continuer',
  'authorize.signInIntro':
    'Saisissez votre nom d’utilisateur et votre mot de passe pour décider si {app} peut utiliser votre compte.',
  'authorize.allow': 'Autoriser l’application',
  'authorize.deny': 'Annuler',
  'authorize.confirmUserHeading': 'Quel compte {app} doit-elle utiliser\u202f?',
  'authorize.confirmUserBody':
    'Vous êtes connecté en tant que {user}. Vérifiez que c’est bien le compte que {app} doit utiliser.',
  'authorize.confirmUserSwitch': 'Se déconnecter et utiliser un autre compte',
  'authorize.wrongCredentials': 'Le nom d’utilisateur ou le mot de passe est incorrect.',
  'authorize.signInRequired':
    'Saisissez votre nom d’utilisateur et votre mot de passe pour autoriser cette application.',
  'authorize.alreadyAuthorized': 'Vous avez déjà autorisé cette application. Confirmez pour continuer.',

  'pin.pageTitle': 'Votre code PIN pour {app}',
  'pin.heading': 'Vous avez autorisé {app}',
  'pin.intro': 'Voici votre code PIN\u00a0:',
  'pin.instruction': 'Retournez dans {app} et saisissez ce code PIN',
  'pin.copy': 'Copier le code PIN',
  'pin.copied': 'Code PIN copié.',
  'pin.copyFailed': 'Impossible de copier. Sélectionnez le code PIN et copiez-le vous-même.',
  'pin.timeLeft': 'Temps restant pour le saisir\u00a0:',
  'pin.expired': 'Ce code PIN a expiré. Retournez dans {app} et recommencez.',
  'pin.singleUse': 'Le code PIN ne fonctionne qu’une fois. Ne le communiquez à personne.',
  'pin.closeAfter': 'Une fois le code PIN saisi, vous pouvez fermer cette page.',

  'denied.pageTitle': 'Autorisation annulée',
  'denied.body': '{app} n’a reçu aucun accès à votre compte.',
  'denied.next': 'Vous pouvez fermer cette page. Si vous changez d’avis, recommencez depuis {app}.',

  'token.missingTitle': 'Ce lien d’autorisation est incomplet',
  'token.missingBody':
    'Il manque le paramètre oauth_token dans le lien. Retournez dans l’application et recommencez la connexion.',
  'token.unknownTitle': 'Ce lien d’autorisation ne fonctionne pas',
  'token.unknownBody':
    'Le lien a peut-être été tronqué ou modifié en chemin. Revenez à l’application et recommencez\u00a0: elle vous donnera un nouveau lien.',
  'token.expiredTitle': 'Cette demande d’autorisation a expiré',
  'token.expiredBody':
    'Les demandes d’autorisation ne sont valables que quelques minutes. Retournez dans l’application et recommencez.',
  'token.expiredBodyApp':
    'Les demandes de {app} ne sont valables que quelques minutes. Revenez à {app} et recommencez.',
  'token.usedTitle': 'Cette demande d’autorisation a déjà été utilisée',
  'token.usedBody':
    'Chaque demande ne peut être autorisée qu’une fois. Si nécessaire, retournez dans l’application et recommencez.',
  'token.deniedTitle': 'Cette demande d’autorisation a été annulée',
  'token.deniedBody':
    'L’accès a été refusé pour cette demande. Si vous avez changé d’avis, retournez dans l’application et recommencez.',
  'token.burnedTitle': 'Cette demande d’autorisation n’est plus valide',
  'token.burnedBody':
    'Trop de codes PIN erronés ont été saisis. Retournez dans l’application et recommencez.',

  'error.formExpiredTitle': 'Ce formulaire a expiré',
  'error.formExpiredBody':
    'La page est restée ouverte trop longtemps ou provenait d’un autre site\u00a0; elle n’a donc pas été envoyée. Revenez en arrière, rechargez la page et réessayez.',
  'error.tooManyAttemptsTitle': 'Trop de tentatives de connexion',
  'error.tooManyAttemptsBody': 'Patientez une minute, puis réessayez.',
  'error.notFoundTitle': 'Page introuvable',
  'error.notFoundBody': 'Il n’y a rien à cette adresse.',
  'error.forbiddenTitle': 'Accès non autorisé',
  'error.forbiddenBody': 'Votre compte ne peut pas ouvrir cette page.',
  'error.badRequestTitle': 'Cette requête est incompréhensible',
  'error.badRequestBody': 'Retournez dans l’application et recommencez.',
  'error.serverErrorTitle': 'Un problème est survenu',
  'error.serverErrorBody': 'Le serveur n’a pas pu traiter la requête. Réessayez dans un instant.',
  'error.unavailableTitle': 'Temporairement indisponible',
  'error.unavailableBody':
    'Le service ne peut pas joindre sa base de données pour le moment. Réessayez dans quelques secondes.',

  'signIn.pageTitle': 'Connexion',
  'signIn.intro': 'Connectez-vous pour gérer vos applications et celles connectées à votre compte.',
  'signIn.submit': 'Se connecter',
  'signIn.noAccount': 'Pas encore de compte\u202f?',
  'signIn.createAccount': 'Créez-en un',
  'signIn.wrongCredentials': 'Le nom d’utilisateur ou le mot de passe est incorrect.',
  'signIn.signedOut': 'Vous êtes déconnecté.',

  'signUp.pageTitle': 'Créer un compte',
  'signUp.intro': 'Un compte vous permet d’autoriser des applications et d’enregistrer les vôtres.',
  'signUp.usernameHint': 'De 3 à 32 caractères\u00a0: lettres, chiffres, points, tirets ou tirets bas.',
  'signUp.passwordHint': 'Au moins {min} caractères.',
  'signUp.submit': 'Créer le compte',
  'signUp.haveAccount': 'Vous avez déjà un compte\u202f?',
  'signUp.signInInstead': 'Connectez-vous',
  'signUp.usernameInvalid':
    'Le nom d’utilisateur doit comporter de 3 à 32 caractères\u00a0: lettres, chiffres, points, tirets ou tirets bas.',
  'signUp.usernameTaken': 'Ce nom d’utilisateur est déjà pris. Choisissez-en un autre.',
  'signUp.passwordTooShort': 'Le mot de passe doit comporter au moins {min} caractères.',

  'apps.pageTitle': 'Mes applications',
  'apps.intro':
    'Les applications que vous avez enregistrées pour agir au nom d’utilisateurs de Tripod, avec leur accord.',
  'apps.empty': 'Vous n’avez encore enregistré aucune application.',
  'apps.create': 'Enregistrer une nouvelle application',
  'apps.columnName': 'Application',
  'apps.columnMode': 'Mode',
  'apps.columnAccess': 'Accès',
  'apps.columnCreated': 'Enregistrée le',
  'apps.disabled': 'Désactivée par l’opérateur',
  'apps.deleted': '{app} a été supprimée. Ses clés et ses jetons ne fonctionnent plus.',

  'mode.heading': 'Mode d’autorisation',
  'mode.pin': 'PIN uniquement\u00a0: les utilisateurs verront un code PIN à saisir dans votre application',
  'mode.web':
    'Web\u00a0: les utilisateurs sont renvoyés vers votre URL de rappel (callback)\u00a0; l’autorisation par code PIN fonctionne aussi',
  'mode.shortPin': 'PIN uniquement',
  'mode.shortWeb': 'Web',

  'app.newPageTitle': 'Enregistrer une nouvelle application',
  'app.editPageTitle': 'Paramètres de {app}',
  'app.detailsHeading': 'Informations',
  'app.name': 'Nom',
  'app.nameHint': 'Affiché aux personnes lorsque votre application demande l’accès.',
  'app.description': 'Description',
  'app.descriptionHint': 'Une ou deux phrases sur ce que fait votre application.',
  'app.website': 'Site web',
  'app.websiteHint': 'Une adresse http ou https pour en savoir plus sur votre application. Facultatif.',
  'app.callbacks': 'URL de rappel (callback)',
  'app.callbacksHint':
    'Laissez vide pour une application de bureau, en ligne de commande ou pour appareil\u00a0: les utilisateurs recevront un code PIN à saisir. Pour une application web, ajoutez une URL\u00a0: l’oauth_callback envoyé par votre application doit correspondre à l’une d’elles (schéma, hôte, port et chemin).',
  'app.callbackLabel': 'URL de rappel {number}',
  'app.addCallback': 'Ajouter une URL de rappel',
  'app.removeCallback': 'Supprimer l’URL de rappel {number}',
  'app.access': 'Niveau d’accès',
  'app.accessReadHint': 'Lire le compte de la personne qui l’a autorisée.',
  'app.accessReadWriteHint': 'Publier et effectuer des modifications en son nom, en plus.',
  'app.rsaKey': 'Clé publique RSA (PEM)',
  'app.rsaKeyHint':
    'Uniquement pour les applications qui signent en RSA-SHA1 ou RSA-SHA256. Laissez vide pour les signatures HMAC.',
  'app.xauth': 'Autoriser xAuth',
  'app.xauthHint':
    'L’application peut échanger un nom d’utilisateur et un mot de passe contre un jeton. Seul l’opérateur peut modifier ce réglage.',
  'app.submitCreate': 'Enregistrer l’application',
  'app.created':
    'Votre application est enregistrée. Sa clé (consumer key) figure ci-dessous\u00a0; affichez le secret quand vous en avez besoin.',
  'app.saved': 'Vos modifications ont été enregistrées.',
  'app.keysHeading': 'Clés',
  'app.consumerKey': 'Clé client (API key)',
  'app.consumerSecret': 'Secret client (API secret)',
  'app.secretHidden':
    'Masqué. Quiconque le possède peut se faire passer pour votre application\u00a0: ne le mettez pas dans du code public.',
  'app.revealSecret': 'Afficher le secret',
  'app.regenerateSecret': 'Générer un nouveau secret',
  'app.regenerateWarning': 'Un nouveau secret remplace l’actuel, qui cesse aussitôt de fonctionner.',
  'app.secretRegenerated': 'Un nouveau secret a été généré. L’ancien ne fonctionne plus.',
  'app.debuggerLink': 'Débogueur de signatures',
  'app.deleteHeading': 'Supprimer cette application',
  'app.deleteWarning': 'Ses clés et tous ses jetons cessent aussitôt de fonctionner. C’est irréversible.',
  'app.deleteButton': 'Supprimer {app}',
  'app.disabledNotice':
    'L’opérateur a désactivé cette application\u00a0: ses clés et ses jetons sont refusés.',
  'app.errorName': 'Saisissez un nom de {max} caractères au plus.',
  'app.errorDescription': 'La description ne peut pas dépasser {max} caractères.',
  'app.errorWebsite': 'Le site web doit être une adresse http ou https.',
  'app.errorCallback':
    'L’URL de rappel {number} n’est pas valide\u00a0: utilisez une URL absolue (https://… ou un schéma propre comme myapp://callback) sans #fragment.',
  'app.errorTooManyCallbacks': 'Une application peut avoir au plus {max} URL de rappel.',
  'app.errorAccess': 'Choisissez un niveau d’accès.',
  'app.errorRsaKey': 'Ce n’est pas une clé publique RSA au format PEM.',

  'debugger.pageTitle': 'Débogueur de signatures de {app}',
  'debugger.intro':
    'Les {count} dernières requêtes de cette application refusées par le serveur, de la plus récente à la plus ancienne. Comparez la chaîne de base avec celle que votre application a signée\u00a0: la première différence est généralement l’erreur.',
  'debugger.noSecrets':
    'Aucun secret n’est affiché ni conservé ici, seulement ce que le serveur a reçu et calculé.',
  'debugger.empty': 'Aucune requête refusée pour l’instant.',
  'debugger.time': 'Heure',
  'debugger.problem': 'Problème',
  'debugger.request': 'Requête',
  'debugger.parameters': 'Paramètres reçus',
  'debugger.baseString': 'Chaîne de base de la signature calculée par le serveur',
  'debugger.backToApp': 'Retour à {app}',

  'connected.pageTitle': 'Applications connectées',
  'connected.intro':
    'Les applications que vous avez autorisées à utiliser votre compte. Si vous retirez l’accès, l’application est arrêtée aussitôt.',
  'connected.empty': 'Vous n’avez connecté aucune application.',
  'connected.columnApp': 'Application',
  'connected.columnAccess': 'Accès',
  'connected.columnSince': 'Autorisée le',
  'connected.revoke': 'Retirer l’accès à {app}',
  'connected.revokeShort': 'Retirer l’accès',
  'connected.revoked': 'L’accès de {app} a été retiré.',
  'connected.unknownApp': 'Une application qui n’existe plus',

  'operator.pageTitle': 'Opérateur',
  'operator.intro': 'Tous les comptes et toutes les applications enregistrées sur ce serveur.',
  'operator.noApps': 'Aucune application n’est enregistrée sur ce serveur.',
  'operator.usersHeading': 'Utilisateurs',
  'operator.appsHeading': 'Applications',
  'operator.columnUsername': 'Nom d’utilisateur',
  'operator.columnRole': 'Rôle',
  'operator.columnJoined': 'Inscrit le',
  'operator.roleOperator': 'Opérateur',
  'operator.roleUser': 'Utilisateur',
  'operator.columnApp': 'Application',
  'operator.columnOwner': 'Enregistrée par',
  'operator.columnStatus': 'État',
  'operator.columnXauth': 'xAuth',
  'operator.columnActions': 'Actions',
  'operator.statusActive': 'Active',
  'operator.statusDisabled': 'Désactivée',
  'operator.disable': 'Désactiver {app}',
  'operator.enable': 'Activer {app}',
  'operator.allowXauth': 'Autoriser xAuth pour {app}',
  'operator.removeXauth': 'Retirer xAuth à {app}',
  'operator.noOwner': 'Opérateur',
  'operator.updated': '{app} a été mise à jour.',

  'home.pageTitle': 'Bienvenue sur Tripod',
  'home.intro':
    'Les applications utilisent ce serveur pour agir au nom de votre compte, uniquement avec votre permission. Les applications sans adresse web, comme les outils en ligne de commande et les appareils, vous affichent un code PIN à saisir.',
  'home.signInHint': 'autorisez des applications et gérez votre compte.',
  'home.signUpHint': 'autorisez des applications ou enregistrez les vôtres.',
  'home.myAppsHint':
    'enregistrez des applications, voyez leurs clés et leur mode, déboguez leurs signatures.',
  'home.connectedHint': 'voyez les applications autorisées à utiliser votre compte et retirez cet accès.',
  'home.operatorHint': 'tous les utilisateurs et toutes les applications de ce serveur.',

  'pin.minutesLeft': '{minutes} min',
  'signIn.accountDisabled': 'Ce compte est désactivé. Adressez-vous à l’opérateur de ce serveur.',
  'error.backHome': 'Aller à la page d’accueil',
  'pin.elsewhereTitle': 'Ce code PIN est affiché dans un autre navigateur',
  'pin.elsewhereBody':
    'Le code PIN de {app} n’est affiché que dans le navigateur où vous l’avez autorisée. Regardez-y, ou recommencez depuis {app}.',
  'pin.usedTitle': 'Code PIN utilisé',
  'pin.usedBody': '{app} a utilisé ce code PIN. Vous pouvez fermer cette page.',
  'confirm.regenerateTitle': 'Générer un nouveau secret pour {app} ?',
  'confirm.regenerateBody':
    '{app} ne pourra plus signer de requêtes tant qu’elle n’aura pas reçu le nouveau secret.',
  'confirm.deleteTitle': 'Supprimer {app} ?',
  'confirm.deleteBody':
    'Toutes les personnes qui ont autorisé {app} perdent la connexion, et ses requêtes sont refusées.',
  'confirm.revokeBody': '{app} ne pourra plus utiliser votre compte.',
  'confirm.revokeWarning': 'Pour lui redonner accès, il faudra autoriser {app} à nouveau.',
  'confirm.disableBody': 'Personne ne pourra utiliser {app} tant que vous ne l’aurez pas réactivée.',
  'confirm.disableWarning': 'Ses clés et tous ses jetons sont aussitôt refusés.',

  // ---- Le côté développeur : comparaison dans le débogueur, premiers pas, icônes, graphiques de l’opérateur
  'compare.heading': 'Comparer avec votre requête',
  'compare.label': 'Votre chaîne de base, vos paramètres ou votre en-tête Authorization',
  'compare.hint':
    'Collez la chaîne de base de signature que votre code a signée (la plupart des bibliothèques OAuth savent l’afficher), vos paramètres (un nom=valeur par ligne) ou l’en-tête Authorization envoyé. Avec un en-tête, les paramètres de la requête et du corps sont pris tels que le serveur les a reçus.',
  'compare.button': 'Comparer',
  'compare.resultHeading': 'Ce qui diffère',
  'compare.yours': 'Votre chaîne de base',
  'compare.server': 'La chaîne de base du serveur',
  'compare.firstDifference': 'La première différence est surlignée dans les deux.',
  'compare.unreadable':
    'Ce n’est ni une chaîne de base (MÉTHODE&URL&paramètres), ni une liste de paramètres, ni un en-tête Authorization OAuth. Collez l’un des trois.',
  'compare.entryGone':
    'Cette requête refusée n’est plus conservée. Comparez avec l’une des requêtes ci-dessous.',
  'compare.identical':
    'Votre chaîne de base est identique à celle du serveur. La différence est dans la clé : vérifiez le secret du consommateur et le secret du jeton, joints par « & » (chacun encodé en pourcentage).',
  'compare.method':
    'La méthode diffère : la vôtre est {yours}, le serveur a reçu {server}. Signez la méthode que vous envoyez, en majuscules.',
  'compare.uriScheme':
    'Le schéma de l’URL diffère : vous avez signé {yours}, le serveur vérifie {server}. Derrière un proxy qui termine TLS, signez l’URL qu’appelle le client (l’URL publique du serveur).',
  'compare.uriPort':
    'Le port diffère : vous avez signé {yours}, le serveur vérifie {server}. Omettez :80 pour http et :443 pour https, indiquez tout autre port.',
  'compare.uriCase':
    'L’URL diffère par la casse : vous avez signé {yours}, le serveur vérifie {server}. Le schéma et l’hôte s’écrivent en minuscules.',
  'compare.uriQuery':
    'Vous avez signé l’URL avec sa requête ({yours}). L’URL de la chaîne de base s’arrête avant le « ? » : les paramètres de requête rejoignent les paramètres triés.',
  'compare.uriSlash':
    'Le chemin diffère d’une barre oblique : vous avez signé {yours}, le serveur vérifie {server}.',
  'compare.uriNotEncoded':
    'L’URL n’est pas encodée en pourcentage : elle doit l’être en entier, de sorte que « :// » devienne « %3A%2F%2F » et « / » devienne « %2F ».',
  'compare.uriOther': 'L’URL diffère : vous avez signé {yours}, le serveur vérifie {server}.',
  'compare.parametersNotEncoded':
    'Les paramètres ne sont pas encodés dans leur ensemble : après le tri, toute la chaîne « nom=valeur&… » est encodée une fois de plus, « = » devient « %3D » et « & » devient « %26 ».',
  'compare.missing': 'Le serveur a reçu {name} = « {value} », absent de votre chaîne de base.',
  'compare.extra': 'Votre chaîne de base contient {name} = « {value} », que le serveur n’a pas reçu.',
  'compare.value': '{name} diffère : vous avez signé « {yours} », le serveur a reçu « {server} ».',
  'compare.plusForSpace':
    '{name} : vous avez signé « {yours} » avec un « + » là où le serveur a reçu une espace (« {server} »). Dans un corps de formulaire ou une requête, « + » signifie une espace ; signez la valeur décodée, qui s’encode en %20.',
  'compare.encodingLowercaseHex':
    '{name} a la même valeur, mais avec de l’hexadécimal en minuscules ({character}) : la RFC 5849 exige des majuscules, {server} et non {yours}.',
  'compare.encodingNotEncoded':
    '{name} a la même valeur, mais « {character} » n’est pas encodé : tout caractère sauf les lettres, les chiffres et - . _ ~ s’encode, {server} et non {yours}.',
  'compare.encodingTwice':
    '{name} est encodé une fois de trop ({yours} là où le serveur a {server}) : encodez chaque valeur une seule fois avant de normaliser.',
  'compare.encodingOther':
    '{name} donne la même valeur une fois décodé, mais il est encodé autrement : {yours} et non {server}.',
  'compare.order':
    'Les mêmes paramètres dans un autre ordre : {name} vient avant {previous}. Triez par nom encodé, puis par valeur, octet par octet.',
  'app.startLink': 'Premiers pas : adresses, ligne de commande, Python',
  'start.pageTitle': 'Premiers pas avec {app}',
  'start.intro':
    'Tout ce dont un client a besoin pour parler à ce serveur, déjà rempli avec la clé de {app}.',
  'start.endpointsHeading': 'Adresses de ce serveur',
  'start.requestToken': 'Jeton de requête (POST)',
  'start.authorize': 'Page d’autorisation (ouverte dans un navigateur)',
  'start.accessToken': 'Jeton d’accès (POST)',
  'start.verifyCredentials': 'Un premier appel à l’API (GET)',
  'start.secretHint':
    'Aucun des exemples ci-dessous ne contient le secret du consommateur. Définissez-le d’abord dans votre shell, copié depuis la section Clés de {app} :',
  'start.cliHeading': 'En ligne de commande',
  'start.cliHint':
    'Déroule l’autorisation par PIN avec l’outil en ligne de commande de Tripod et garde le jeton d’accès comme compte par défaut de ce site.',
  'start.requestHint': 'Ensuite, envoyez avec lui une requête signée :',
  'start.pythonHeading': 'En Python, avec requests-oauthlib',
  'start.pythonHint':
    'Enregistrez-le sous start.py et lancez python3 start.py (pip install requests-oauthlib, ou le paquet Debian python3-requests-oauthlib).',
  'operator.searchLabel': 'Chercher des applications par nom ou par clé',
  'operator.searchButton': 'Chercher',
  'operator.appsFound': 'Applications trouvées : {count}',
  'operator.noMatch': 'Aucune application ne correspond à « {search} ».',
  'operator.pagination': 'Pages de la liste des applications',
  'operator.pageOf': 'Page {page} sur {pages}',
  'operator.previousPage': 'Page précédente',
  'operator.nextPage': 'Page suivante',
  'operator.chartsHeading': 'Les {days} derniers jours',
  'operator.chartAuthorizations': 'Autorisations (jetons d’accès délivrés)',
  'operator.chartPinsBurned': 'PIN grillés par trop d’essais erronés',
  'operator.chartRefused': 'Requêtes refusées par oauth_problem',
  'operator.chartTopApps': 'Applications ayant le plus de requêtes acceptées',
  'operator.chartTotal': '{count} au total',
  'operator.chartMax': 'maximum : {count}',
  'operator.chartDay': '{day} : {count}',
  'operator.chartNone': 'Rien n’a encore été compté.',
  'app.iconSaved': 'L’icône a été enregistrée.',
  'app.iconRemoved': 'L’icône a été retirée.',
  'icon.heading': 'Icône',
  'icon.hint':
    'Affichée sur la page de consentement et dans Mes applications. PNG, JPEG ou WebP, 256 Ko au plus ; carrée de préférence.',
  'icon.label': 'Choisir une image',
  'icon.upload': 'Envoyer l’icône',
  'icon.remove': 'Retirer l’icône',
  'icon.alt': 'Icône de {app}',
  'icon.none': 'Pas encore d’icône.',
  'icon.refusedTitle': 'L’icône n’a pas été enregistrée',
  'icon.tooLarge': 'L’image dépasse {max}. Choisissez-en une plus petite.',
  'icon.notAnImage': 'Ce fichier n’est pas une image PNG, JPEG ou WebP. Choisissez l’un de ces formats.',
  'icon.missing': 'Aucune image n’a été choisie. Choisissez un fichier, puis envoyez-le.',
  'icon.unreadable': 'L’envoi n’a pas pu être lu. Choisissez de nouveau l’image et envoyez-la.',
  'icon.backToApp': 'Retour à l’application',
};
