// Deutsch. Anrede mit „Sie“, wie es Konten- und Sicherheitsseiten üblicherweise tun.

import type { Messages } from './en.ts';

export const de: Messages = {
  'common.productName': 'Tripod',
  'common.skipToContent': 'Zum Inhalt springen',
  'common.mainNavigation': 'Hauptnavigation',
  'common.username': 'Benutzername',
  'common.password': 'Passwort',
  'common.save': 'Änderungen speichern',
  'common.cancel': 'Abbrechen',
  'common.back': 'Zurück',
  'common.yes': 'Ja',
  'common.no': 'Nein',
  'common.accessRead': 'Nur lesen',
  'common.accessReadWrite': 'Lesen und schreiben',
  'common.copy': 'Kopieren',
  'common.copied': 'Kopiert.',
  'common.errorSummary': 'Bitte korrigieren Sie Folgendes:',

  'nav.myApps': 'Meine Apps',
  'nav.connectedApps': 'Verbundene Apps',
  'nav.operator': 'Betreiber',
  'nav.signIn': 'Anmelden',
  'nav.signUp': 'Registrieren',
  'nav.signOut': 'Abmelden',
  'nav.signedInAs': 'Angemeldet als {user}',

  'authorize.pageTitle': '{app} autorisieren?',
  'authorize.heading': 'Darf {app} Ihr Konto verwenden?',
  'authorize.aboutApp': 'Über diese App',
  'authorize.website': 'Website',
  'authorize.registeredBy': 'Registriert von {owner}',
  'authorize.registeredByOperator': 'Registriert vom Betreiber dieses Servers',
  'authorize.accessLevel': 'Angefragter Zugriff',
  'authorize.canHeading': 'Diese App kann:',
  'authorize.canRead': 'Ihre Kontoinformationen sehen, zum Beispiel Ihren Benutzernamen.',
  'authorize.canWrite': 'In Ihrem Namen Beiträge veröffentlichen und Änderungen vornehmen.',
  'authorize.neverHeading': 'Sie kann niemals:',
  'authorize.neverPassword': 'Ihr Passwort sehen.',
  'authorize.neverAccount': 'Ihr Passwort oder Ihre Kontoeinstellungen ändern.',
  'authorize.revokeHint': 'Sie können diesen Zugriff jederzeit unter „Verbundene Apps“ widerrufen.',
  'authorize.signedInAs': 'Angemeldet als {user}.',
  'authorize.switchAccount': 'Anderes Konto verwenden',
  'authorize.signInHeading': 'Zum Fortfahren anmelden',
  'authorize.signInIntro':
    'Geben Sie Ihren Benutzernamen und Ihr Passwort ein, um zu entscheiden, ob {app} Ihr Konto verwenden darf.',
  'authorize.allow': 'App autorisieren',
  'authorize.deny': 'Abbrechen',
  'authorize.confirmUserHeading': 'Welches Konto soll {app} verwenden?',
  'authorize.confirmUserBody':
    'Sie sind als {user} angemeldet. Prüfen Sie, ob {app} wirklich dieses Konto verwenden soll.',
  'authorize.confirmUserSwitch': 'Abmelden und ein anderes Konto verwenden',
  'authorize.wrongCredentials': 'Benutzername oder Passwort ist falsch.',
  'authorize.signInRequired': 'Geben Sie Benutzernamen und Passwort ein, um diese App zu autorisieren.',
  'authorize.alreadyAuthorized': 'Sie haben diese App bereits autorisiert. Bestätigen Sie, um fortzufahren.',

  'pin.pageTitle': 'Ihre PIN für {app}',
  'pin.heading': 'Sie haben {app} autorisiert',
  'pin.intro': 'Ihre PIN lautet:',
  'pin.instruction': 'Kehren Sie zu {app} zurück und geben Sie diese PIN ein',
  'pin.copy': 'PIN kopieren',
  'pin.copied': 'PIN kopiert.',
  'pin.copyFailed': 'Kopieren nicht möglich. Markieren Sie die PIN und kopieren Sie sie selbst.',
  'pin.timeLeft': 'Verbleibende Zeit zur Eingabe:',
  'pin.expired': 'Diese PIN ist abgelaufen. Kehren Sie zu {app} zurück und beginnen Sie von vorn.',
  'pin.singleUse': 'Die PIN funktioniert nur einmal. Geben Sie sie an niemanden weiter.',
  'pin.closeAfter': 'Nachdem Sie die PIN eingegeben haben, können Sie diese Seite schließen.',

  'denied.pageTitle': 'Autorisierung abgebrochen',
  'denied.body': '{app} hat keinen Zugriff auf Ihr Konto erhalten.',
  'denied.next':
    'Sie können diese Seite schließen. Falls Sie es sich anders überlegen, beginnen Sie in {app} von vorn.',

  'token.missingTitle': 'Dieser Autorisierungslink ist unvollständig',
  'token.missingBody':
    'Dem Link fehlt der Parameter oauth_token. Kehren Sie zur App zurück und starten Sie die Anmeldung erneut.',
  'token.unknownTitle': 'Dieser Autorisierungslink funktioniert nicht',
  'token.unknownBody':
    'Der Link wurde vielleicht unterwegs gekürzt oder verändert. Kehren Sie zur App zurück und beginnen Sie neu – sie gibt Ihnen einen neuen Link.',
  'token.expiredTitle': 'Diese Autorisierungsanfrage ist abgelaufen',
  'token.expiredBody':
    'Autorisierungsanfragen gelten nur wenige Minuten. Kehren Sie zur App zurück und beginnen Sie von vorn.',
  'token.expiredBodyApp':
    'Anfragen von {app} sind nur wenige Minuten gültig. Kehren Sie zu {app} zurück und beginnen Sie neu.',
  'token.usedTitle': 'Diese Autorisierungsanfrage wurde bereits verwendet',
  'token.usedBody':
    'Jede Anfrage kann nur einmal autorisiert werden. Kehren Sie bei Bedarf zur App zurück und beginnen Sie von vorn.',
  'token.deniedTitle': 'Diese Autorisierungsanfrage wurde abgebrochen',
  'token.deniedBody':
    'Für diese Anfrage wurde der Zugriff verweigert. Wenn Sie es sich anders überlegt haben, kehren Sie zur App zurück und beginnen Sie von vorn.',
  'token.burnedTitle': 'Diese Autorisierungsanfrage ist nicht mehr gültig',
  'token.burnedBody':
    'Dafür wurden zu oft falsche PINs eingegeben. Kehren Sie zur App zurück und beginnen Sie von vorn.',

  'error.formExpiredTitle': 'Dieses Formular ist abgelaufen',
  'error.formExpiredBody':
    'Die Seite war zu lange geöffnet oder stammte von einer anderen Website, daher wurde sie nicht gesendet. Gehen Sie zurück, laden Sie die Seite neu und versuchen Sie es noch einmal.',
  'error.tooManyAttemptsTitle': 'Zu viele Anmeldeversuche',
  'error.tooManyAttemptsBody': 'Warten Sie eine Minute und versuchen Sie es dann erneut.',
  'error.notFoundTitle': 'Seite nicht gefunden',
  'error.notFoundBody': 'Unter dieser Adresse gibt es nichts.',
  'error.forbiddenTitle': 'Nicht erlaubt',
  'error.forbiddenBody': 'Ihr Konto darf diese Seite nicht öffnen.',
  'error.badRequestTitle': 'Diese Anfrage war unverständlich',
  'error.badRequestBody': 'Kehren Sie zur App zurück und beginnen Sie von vorn.',
  'error.serverErrorTitle': 'Etwas ist schiefgelaufen',
  'error.serverErrorBody':
    'Der Server konnte die Anfrage nicht abschließen. Versuchen Sie es gleich noch einmal.',
  'error.unavailableTitle': 'Vorübergehend nicht verfügbar',
  'error.unavailableBody':
    'Der Dienst erreicht seine Datenbank gerade nicht. Versuchen Sie es in ein paar Sekunden noch einmal.',

  'signIn.pageTitle': 'Anmelden',
  'signIn.intro': 'Melden Sie sich an, um Ihre Apps und die mit Ihrem Konto verbundenen Apps zu verwalten.',
  'signIn.submit': 'Anmelden',
  'signIn.noAccount': 'Noch kein Konto?',
  'signIn.createAccount': 'Jetzt erstellen',
  'signIn.wrongCredentials': 'Benutzername oder Passwort ist falsch.',
  'signIn.signedOut': 'Sie sind abgemeldet.',

  'signUp.pageTitle': 'Konto erstellen',
  'signUp.intro': 'Mit einem Konto können Sie Apps autorisieren und eigene registrieren.',
  'signUp.usernameHint': '3 bis 32 Zeichen: Buchstaben, Ziffern, Punkte, Bindestriche oder Unterstriche.',
  'signUp.passwordHint': 'Mindestens {min} Zeichen.',
  'signUp.submit': 'Konto erstellen',
  'signUp.haveAccount': 'Sie haben bereits ein Konto?',
  'signUp.signInInstead': 'Anmelden',
  'signUp.usernameInvalid':
    'Der Benutzername muss 3 bis 32 Zeichen lang sein: Buchstaben, Ziffern, Punkte, Bindestriche oder Unterstriche.',
  'signUp.usernameTaken': 'Dieser Benutzername ist vergeben. Wählen Sie einen anderen.',
  'signUp.passwordTooShort': 'Das Passwort muss mindestens {min} Zeichen lang sein.',

  'apps.pageTitle': 'Meine Apps',
  'apps.intro': 'Apps, die Sie registriert haben, um mit Erlaubnis von Tripod-Nutzern für diese zu handeln.',
  'apps.empty': 'Sie haben noch keine App registriert.',
  'apps.create': 'Neue App registrieren',
  'apps.columnName': 'App',
  'apps.columnMode': 'Modus',
  'apps.columnAccess': 'Zugriff',
  'apps.columnCreated': 'Registriert',
  'apps.disabled': 'Vom Betreiber deaktiviert',
  'apps.deleted': '{app} wurde gelöscht. Ihre Schlüssel und Tokens funktionieren nicht mehr.',

  'mode.heading': 'Autorisierungsmodus',
  'mode.pin': 'Nur PIN: Nutzer sehen eine PIN, die sie in Ihre App eingeben',
  'mode.web':
    'Web: Nutzer werden zu Ihrer Callback-URL zurückgeleitet; PIN-basierte Autorisierung funktioniert ebenfalls',
  'mode.shortPin': 'Nur PIN',
  'mode.shortWeb': 'Web',

  'app.newPageTitle': 'Neue App registrieren',
  'app.editPageTitle': 'Einstellungen von {app}',
  'app.detailsHeading': 'Angaben',
  'app.name': 'Name',
  'app.nameHint': 'Wird Personen angezeigt, wenn Ihre App um Zugriff bittet.',
  'app.description': 'Beschreibung',
  'app.descriptionHint': 'Ein oder zwei Sätze dazu, was Ihre App tut.',
  'app.website': 'Website',
  'app.websiteHint': 'Eine http- oder https-Adresse mit Informationen zu Ihrer App. Optional.',
  'app.callbacks': 'Callback-URLs',
  'app.callbacksHint':
    'Lassen Sie dies für eine Desktop-, Kommandozeilen- oder Geräte-App leer: Nutzer erhalten dann eine PIN zum Eintippen. Für eine Web-App fügen Sie eine URL hinzu: Der oauth_callback Ihrer App muss in Schema, Host, Port und Pfad mit einer davon übereinstimmen.',
  'app.callbackLabel': 'Callback-URL {number}',
  'app.addCallback': 'Callback-URL hinzufügen',
  'app.removeCallback': 'Callback-URL {number} entfernen',
  'app.access': 'Zugriffsstufe',
  'app.accessReadHint': 'Das Konto der Person lesen, die die App autorisiert hat.',
  'app.accessReadWriteHint': 'Außerdem in ihrem Namen veröffentlichen und Änderungen vornehmen.',
  'app.rsaKey': 'Öffentlicher RSA-Schlüssel (PEM)',
  'app.rsaKeyHint':
    'Nur für Apps, die mit RSA-SHA1 oder RSA-SHA256 signieren. Für HMAC-Signaturen leer lassen.',
  'app.xauth': 'xAuth erlauben',
  'app.xauthHint':
    'Die App darf Benutzername und Passwort gegen ein Token tauschen. Nur der Betreiber kann dies ändern.',
  'app.submitCreate': 'App registrieren',
  'app.created':
    'Ihre App ist registriert. Den Consumer Key finden Sie unten; das Secret zeigen Sie an, wenn Sie es brauchen.',
  'app.saved': 'Ihre Änderungen wurden gespeichert.',
  'app.keysHeading': 'Schlüssel',
  'app.consumerKey': 'Consumer Key (API-Schlüssel)',
  'app.consumerSecret': 'Consumer Secret (API-Geheimnis)',
  'app.secretHidden':
    'Verborgen. Wer es kennt, kann als Ihre App auftreten – halten Sie es aus öffentlichem Code heraus.',
  'app.revealSecret': 'Secret anzeigen',
  'app.regenerateSecret': 'Neues Secret erzeugen',
  'app.regenerateWarning': 'Ein neues Secret ersetzt das aktuelle, das sofort ungültig wird.',
  'app.secretRegenerated': 'Ein neues Secret wurde erzeugt. Das alte funktioniert nicht mehr.',
  'app.debuggerLink': 'Signatur-Debugger',
  'app.deleteHeading': 'Diese App löschen',
  'app.deleteWarning':
    'Ihre Schlüssel und alle ihre Tokens werden sofort ungültig. Dies kann nicht rückgängig gemacht werden.',
  'app.deleteButton': '{app} löschen',
  'app.disabledNotice':
    'Der Betreiber hat diese App deaktiviert: Ihre Schlüssel und Tokens werden abgelehnt.',
  'app.errorName': 'Geben Sie einen Namen mit höchstens {max} Zeichen ein.',
  'app.errorDescription': 'Die Beschreibung darf höchstens {max} Zeichen haben.',
  'app.errorWebsite': 'Die Website muss eine http- oder https-Adresse sein.',
  'app.errorCallback':
    'Callback-URL {number} ist ungültig: Verwenden Sie eine absolute URL (https://… oder ein eigenes Schema wie myapp://callback) ohne #Fragment.',
  'app.errorTooManyCallbacks': 'Eine App kann höchstens {max} Callback-URLs haben.',
  'app.errorAccess': 'Wählen Sie eine Zugriffsstufe.',
  'app.errorRsaKey': 'Dies ist kein öffentlicher RSA-Schlüssel im PEM-Format.',

  'debugger.pageTitle': 'Signatur-Debugger für {app}',
  'debugger.intro':
    'Die letzten {count} Anfragen dieser App, die der Server abgelehnt hat, die neueste zuerst. Vergleichen Sie den Basis-String mit dem, den Ihre App signiert hat: Der erste Unterschied ist meist der Fehler.',
  'debugger.noSecrets':
    'Geheimnisse werden hier nie angezeigt oder gespeichert, nur was der Server empfangen und berechnet hat.',
  'debugger.empty': 'Bisher wurden keine Anfragen abgelehnt.',
  'debugger.time': 'Zeit',
  'debugger.problem': 'Problem',
  'debugger.request': 'Anfrage',
  'debugger.parameters': 'Empfangene Parameter',
  'debugger.baseString': 'Vom Server berechneter Signatur-Basis-String',
  'debugger.backToApp': 'Zurück zu {app}',

  'connected.pageTitle': 'Verbundene Apps',
  'connected.intro':
    'Apps, denen Sie die Nutzung Ihres Kontos erlaubt haben. Wenn Sie den Zugriff widerrufen, wird die App sofort gestoppt.',
  'connected.empty': 'Sie haben noch keine App verbunden.',
  'connected.columnApp': 'App',
  'connected.columnAccess': 'Zugriff',
  'connected.columnSince': 'Autorisiert am',
  'connected.revoke': 'Zugriff für {app} widerrufen',
  'connected.revokeShort': 'Widerrufen',
  'connected.revoked': 'Der Zugriff für {app} wurde widerrufen.',
  'connected.unknownApp': 'Eine App, die es nicht mehr gibt',

  'operator.pageTitle': 'Betreiber',
  'operator.intro': 'Alle Konten und alle registrierten Apps auf diesem Server.',
  'operator.noApps': 'Auf diesem Server ist keine App registriert.',
  'operator.usersHeading': 'Benutzer',
  'operator.appsHeading': 'Apps',
  'operator.columnUsername': 'Benutzername',
  'operator.columnRole': 'Rolle',
  'operator.columnJoined': 'Dabei seit',
  'operator.roleOperator': 'Betreiber',
  'operator.roleUser': 'Benutzer',
  'operator.columnApp': 'App',
  'operator.columnOwner': 'Registriert von',
  'operator.columnStatus': 'Status',
  'operator.columnXauth': 'xAuth',
  'operator.columnActions': 'Aktionen',
  'operator.statusActive': 'Aktiv',
  'operator.statusDisabled': 'Deaktiviert',
  'operator.disable': '{app} deaktivieren',
  'operator.enable': '{app} aktivieren',
  'operator.allowXauth': 'xAuth für {app} erlauben',
  'operator.removeXauth': 'xAuth für {app} entziehen',
  'operator.noOwner': 'Betreiber',
  'operator.updated': '{app} wurde aktualisiert.',

  'home.pageTitle': 'Willkommen bei Tripod',
  'home.intro':
    'Apps nutzen diesen Server, um für Ihr Konto zu handeln – nur mit Ihrer Erlaubnis. Apps ohne Webadresse, etwa Kommandozeilenprogramme und Geräte, zeigen Ihnen eine PIN zum Eintippen.',
  'home.signInHint': 'Apps autorisieren und Ihr Konto verwalten.',
  'home.signUpHint': 'Apps autorisieren oder eigene registrieren.',
  'home.myAppsHint': 'Apps registrieren, ihre Schlüssel und ihren Modus sehen und ihre Signaturen prüfen.',
  'home.connectedHint':
    'die Apps sehen, denen Sie Zugriff auf Ihr Konto gegeben haben, und den Zugriff zurücknehmen.',
  'home.operatorHint': 'alle Benutzer und Apps auf diesem Server.',

  'pin.minutesLeft': '{minutes} Min.',
  'signIn.accountDisabled': 'Dieses Konto ist deaktiviert. Wenden Sie sich an den Betreiber dieses Servers.',
  'error.backHome': 'Zur Startseite',
  'pin.elsewhereTitle': 'Diese PIN wird in einem anderen Browser angezeigt',
  'pin.elsewhereBody':
    'Die PIN für {app} wird nur in dem Browser angezeigt, in dem Sie die App autorisiert haben. Sehen Sie dort nach oder beginnen Sie in {app} von vorn.',
  'pin.usedTitle': 'PIN verwendet',
  'pin.usedBody': '{app} hat diese PIN verwendet. Sie können diese Seite schließen.',
  'confirm.regenerateTitle': 'Neues Secret für {app} erzeugen?',
  'confirm.regenerateBody':
    '{app} kann erst wieder Anfragen signieren, wenn die App das neue Secret erhalten hat.',
  'confirm.deleteTitle': '{app} löschen?',
  'confirm.deleteBody':
    'Alle, die {app} autorisiert haben, verlieren die Verbindung, und ihre Anfragen werden abgelehnt.',
  'confirm.revokeBody': '{app} kann Ihr Konto dann nicht mehr verwenden.',
  'confirm.revokeWarning': 'Um wieder Zugriff zu gewähren, müssen Sie {app} erneut autorisieren.',
  'confirm.disableBody': 'Niemand kann {app} verwenden, bis Sie die App wieder aktivieren.',
  'confirm.disableWarning': 'Ihre Schlüssel und alle ihre Tokens werden sofort abgelehnt.',

  // ---- Die Entwicklerseite: Vergleich im Debugger, Einstieg, Icons, Diagramme für den Betreiber
  'compare.heading': 'Mit Ihrer Anfrage vergleichen',
  'compare.label': 'Ihr Basis-String, Ihre Parameter oder Ihr Authorization-Header',
  'compare.hint':
    'Fügen Sie den Signatur-Basis-String ein, den Ihr Code signiert hat (die meisten OAuth-Bibliotheken können ihn ausgeben), Ihre Parameter (ein name=wert pro Zeile) oder den gesendeten Authorization-Header. Bei einem Header werden die Parameter aus Query und Body so genommen, wie der Server sie empfangen hat.',
  'compare.button': 'Vergleichen',
  'compare.resultHeading': 'Was sich unterscheidet',
  'compare.yours': 'Ihr Basis-String',
  'compare.server': 'Der Basis-String des Servers',
  'compare.firstDifference': 'Der erste Unterschied ist in beiden hervorgehoben.',
  'compare.unreadable':
    'Das ist weder ein Basis-String (METHODE&URL&Parameter) noch eine Parameterliste noch ein OAuth-Authorization-Header. Fügen Sie eines davon ein.',
  'compare.entryGone':
    'Diese abgelehnte Anfrage ist nicht mehr gespeichert. Vergleichen Sie mit einer der Anfragen unten.',
  'compare.identical':
    'Ihr Basis-String stimmt mit dem des Servers überein. Der Unterschied liegt im Schlüssel: Prüfen Sie das Consumer-Secret und das Token-Secret, verbunden mit „&“ (beide prozentkodiert).',
  'compare.method':
    'Die Methode unterscheidet sich: Ihre ist {yours}, der Server hat {server} empfangen. Signieren Sie die Methode, die Sie senden, in Großbuchstaben.',
  'compare.uriScheme':
    'Das Schema der URL unterscheidet sich: Sie haben {yours} signiert, der Server prüft {server}. Hinter einem Proxy, der TLS beendet, signieren Sie die URL, die der Client aufruft (die öffentliche URL des Servers).',
  'compare.uriPort':
    'Der Port unterscheidet sich: Sie haben {yours} signiert, der Server prüft {server}. Lassen Sie :80 bei http und :443 bei https weg, jeden anderen Port geben Sie an.',
  'compare.uriCase':
    'Die URL unterscheidet sich in Groß- und Kleinschreibung: Sie haben {yours} signiert, der Server prüft {server}. Schema und Host werden kleingeschrieben.',
  'compare.uriQuery':
    'Sie haben die URL mit ihrer Query signiert ({yours}). Die URL im Basis-String endet vor dem „?“: Die Query-Parameter gehören zu den sortierten Parametern.',
  'compare.uriSlash':
    'Der Pfad unterscheidet sich um einen Schrägstrich: Sie haben {yours} signiert, der Server prüft {server}.',
  'compare.uriNotEncoded':
    'Die URL ist nicht prozentkodiert: Sie muss als Ganzes kodiert werden, sodass aus „://“ „%3A%2F%2F“ und aus „/“ „%2F“ wird.',
  'compare.uriOther': 'Die URL unterscheidet sich: Sie haben {yours} signiert, der Server prüft {server}.',
  'compare.parametersNotEncoded':
    'Die Parameter sind nicht als Ganzes prozentkodiert: Nach dem Sortieren wird die ganze Zeichenkette „name=wert&…“ noch einmal kodiert, aus „=“ wird „%3D“ und aus „&“ „%26“.',
  'compare.missing': 'Der Server hat {name} = „{value}“ empfangen, das in Ihrem Basis-String fehlt.',
  'compare.extra': 'Ihr Basis-String enthält {name} = „{value}“, das der Server nicht empfangen hat.',
  'compare.value':
    '{name} unterscheidet sich: Sie haben „{yours}“ signiert, der Server hat „{server}“ empfangen.',
  'compare.plusForSpace':
    '{name}: Sie haben „{yours}“ mit „+“ signiert, wo der Server ein Leerzeichen empfangen hat („{server}“). In einem Formular-Body oder einer Query steht „+“ für ein Leerzeichen; signieren Sie den dekodierten Wert, der als %20 kodiert wird.',
  'compare.encodingLowercaseHex':
    '{name} hat denselben Wert, aber Hex-Ziffern in Kleinbuchstaben ({character}): RFC 5849 verlangt Großbuchstaben, also {server} statt {yours}.',
  'compare.encodingNotEncoded':
    '{name} hat denselben Wert, aber „{character}“ ist unkodiert geblieben: Außer Buchstaben, Ziffern und - . _ ~ wird jedes Zeichen prozentkodiert, also {server} statt {yours}.',
  'compare.encodingTwice':
    '{name} ist einmal zu oft kodiert ({yours}, wo der Server {server} hat): Kodieren Sie jeden Wert nur einmal, bevor Sie normalisieren.',
  'compare.encodingOther':
    '{name} ergibt dekodiert denselben Wert, ist aber anders kodiert: {yours} statt {server}.',
  'compare.order':
    'Dieselben Parameter in anderer Reihenfolge: {name} steht vor {previous}. Sortieren Sie nach kodiertem Namen, dann nach Wert, Byte für Byte.',
  'app.startLink': 'Erste Schritte: Endpunkte, Kommandozeile, Python',
  'start.pageTitle': 'Erste Schritte mit {app}',
  'start.intro': 'Alles, was ein Client für diesen Server braucht, ausgefüllt mit dem Schlüssel von {app}.',
  'start.endpointsHeading': 'Endpunkte dieses Servers',
  'start.requestToken': 'Request-Token (POST)',
  'start.authorize': 'Autorisierungsseite (im Browser geöffnet)',
  'start.accessToken': 'Access-Token (POST)',
  'start.verifyCredentials': 'Ein erster API-Aufruf (GET)',
  'start.secretHint':
    'Keines der Beispiele unten enthält das Consumer-Secret. Setzen Sie es zuerst in Ihrer Shell, kopiert aus dem Abschnitt „Schlüssel“ von {app}:',
  'start.cliHeading': 'Auf der Kommandozeile',
  'start.cliHint':
    'Führt den PIN-Ablauf mit dem Kommandozeilenwerkzeug von Tripod aus und speichert das Access-Token als Standardkonto dieser Seite.',
  'start.requestHint': 'Danach senden Sie damit eine signierte Anfrage:',
  'start.pythonHeading': 'In Python mit requests-oauthlib',
  'start.pythonHint':
    'Speichern Sie es als start.py und starten Sie python3 start.py (pip install requests-oauthlib oder Debians python3-requests-oauthlib).',
  'operator.searchLabel': 'Apps nach Name oder Schlüssel suchen',
  'operator.searchButton': 'Suchen',
  'operator.appsFound': 'Gefundene Apps: {count}',
  'operator.noMatch': 'Keine App passt zu „{search}“.',
  'operator.pagination': 'Seiten der App-Liste',
  'operator.pageOf': 'Seite {page} von {pages}',
  'operator.previousPage': 'Vorherige Seite',
  'operator.nextPage': 'Nächste Seite',
  'operator.chartsHeading': 'Die letzten {days} Tage',
  'operator.chartAuthorizations': 'Autorisierungen (ausgegebene Access-Tokens)',
  'operator.chartPinsBurned': 'Durch zu viele Fehlversuche verbrannte PINs',
  'operator.chartRefused': 'Abgelehnte Anfragen nach oauth_problem',
  'operator.chartTopApps': 'Apps mit den meisten angenommenen Anfragen',
  'operator.chartTotal': 'insgesamt {count}',
  'operator.chartMax': 'Höchstwert: {count}',
  'operator.chartDay': '{day}: {count}',
  'operator.chartNone': 'Bisher wurde nichts gezählt.',
  'app.iconSaved': 'Das Icon wurde gespeichert.',
  'app.iconRemoved': 'Das Icon wurde entfernt.',
  'icon.heading': 'Icon',
  'icon.hint':
    'Erscheint auf der Zustimmungsseite und unter „Meine Apps“. PNG, JPEG oder WebP, höchstens 256 KB; quadratisch sieht es am besten aus.',
  'icon.label': 'Bild auswählen',
  'icon.upload': 'Icon hochladen',
  'icon.remove': 'Icon entfernen',
  'icon.alt': 'Icon von {app}',
  'icon.none': 'Noch kein Icon.',
  'icon.refusedTitle': 'Das Icon wurde nicht gespeichert',
  'icon.tooLarge': 'Das Bild ist größer als {max}. Wählen Sie ein kleineres.',
  'icon.notAnImage': 'Diese Datei ist kein PNG-, JPEG- oder WebP-Bild. Wählen Sie eines davon.',
  'icon.missing': 'Es wurde kein Bild ausgewählt. Wählen Sie eine Datei und laden Sie sie hoch.',
  'icon.unreadable':
    'Der Upload konnte nicht gelesen werden. Wählen Sie das Bild erneut und laden Sie es hoch.',
  'icon.backToApp': 'Zurück zur App',
};
