// Polski. Nazwy aplikacji ({app}) i użytkowników ({user}) nie odmieniają się, więc zdania stawiają je
// po słowie „aplikacja” lub „konto” w mianowniku albo w pozycji, w której forma się nie zmienia.

import type { Messages } from './en.ts';

export const pl: Messages = {
  'common.productName': 'Tripod',
  'common.skipToContent': 'Przejdź do treści',
  'common.mainNavigation': 'Nawigacja główna',
  'common.username': 'Nazwa użytkownika',
  'common.password': 'Hasło',
  'common.save': 'Zapisz zmiany',
  'common.cancel': 'Anuluj',
  'common.back': 'Wstecz',
  'common.yes': 'Tak',
  'common.no': 'Nie',
  'common.accessRead': 'Tylko odczyt',
  'common.accessReadWrite': 'Odczyt i zapis',
  'common.copy': 'Kopiuj',
  'common.copied': 'Skopiowano.',
  'common.errorSummary': 'Popraw następujące błędy:',

  'nav.myApps': 'Moje aplikacje',
  'nav.connectedApps': 'Połączone aplikacje',
  'nav.operator': 'Operator',
  'nav.signIn': 'Zaloguj się',
  'nav.signUp': 'Załóż konto',
  'nav.signOut': 'Wyloguj się',
  'nav.signedInAs': 'Zalogowano jako {user}',

  'authorize.pageTitle': 'Autoryzować aplikację {app}?',
  'authorize.heading': 'Czy aplikacja {app} może korzystać z Twojego konta?',
  'authorize.aboutApp': 'O aplikacji',
  'authorize.website': 'Strona internetowa',
  'authorize.registeredBy': 'Zarejestrowana przez: {owner}',
  'authorize.registeredByOperator': 'Zarejestrowana przez operatora tego serwera',
  'authorize.accessLevel': 'Żądany dostęp',
  'authorize.canHeading': 'Ta aplikacja będzie mogła:',
  'authorize.canRead': 'Widzieć informacje o Twoim koncie, na przykład nazwę użytkownika.',
  'authorize.canWrite': 'Publikować i wprowadzać zmiany w Twoim imieniu.',
  'authorize.neverHeading': 'Nigdy nie będzie mogła:',
  'authorize.neverPassword': 'Zobaczyć Twojego hasła.',
  'authorize.neverAccount': 'Zmienić Twojego hasła ani ustawień konta.',
  'authorize.revokeHint': 'Możesz w każdej chwili odebrać ten dostęp w sekcji Połączone aplikacje.',
  'authorize.signedInAs': 'Zalogowano jako {user}.',
  'authorize.switchAccount': 'Użyj innego konta',
  'authorize.signInHeading': 'Zaloguj się, aby kontynuować',
  'authorize.signInIntro':
    'Podaj nazwę użytkownika i hasło, aby zdecydować, czy aplikacja {app} może korzystać z Twojego konta.',
  'authorize.allow': 'Autoryzuj aplikację',
  'authorize.deny': 'Anuluj',
  'authorize.confirmUserHeading': 'Z którego konta ma korzystać aplikacja {app}?',
  'authorize.confirmUserBody':
    'Zalogowano jako {user}. Upewnij się, że właśnie z tego konta ma korzystać aplikacja {app}.',
  'authorize.confirmUserSwitch': 'Wyloguj się i użyj innego konta',
  'authorize.wrongCredentials': 'Nazwa użytkownika lub hasło są nieprawidłowe.',
  'authorize.signInRequired': 'Podaj nazwę użytkownika i hasło, aby autoryzować tę aplikację.',
  'authorize.alreadyAuthorized':
    'Ta aplikacja była już przez Ciebie autoryzowana. Potwierdź, aby kontynuować.',

  'pin.pageTitle': 'Twój PIN dla aplikacji {app}',
  'pin.heading': 'Aplikacja {app} została autoryzowana',
  'pin.intro': 'Oto Twój PIN:',
  'pin.instruction': 'Wróć do aplikacji {app} i wpisz ten PIN',
  'pin.copy': 'Kopiuj PIN',
  'pin.copied': 'Skopiowano PIN.',
  'pin.copyFailed': 'Nie udało się skopiować. Zaznacz PIN i skopiuj go samodzielnie.',
  'pin.timeLeft': 'Pozostały czas na wpisanie:',
  'pin.expired': 'Ten PIN wygasł. Wróć do aplikacji {app} i zacznij od nowa.',
  'pin.singleUse': 'PIN działa tylko raz. Nie podawaj go nikomu.',
  'pin.closeAfter': 'Po wpisaniu PIN-u możesz zamknąć tę stronę.',

  'denied.pageTitle': 'Autoryzacja anulowana',
  'denied.body': 'Aplikacja {app} nie otrzymała dostępu do Twojego konta.',
  'denied.next': 'Możesz zamknąć tę stronę. Jeśli zmienisz zdanie, zacznij od nowa w aplikacji {app}.',

  'token.missingTitle': 'Ten link autoryzacyjny jest niekompletny',
  'token.missingBody':
    'W linku brakuje parametru oauth_token. Wróć do aplikacji i zacznij logowanie od nowa.',
  'token.unknownTitle': 'Ten link autoryzacyjny nie działa',
  'token.unknownBody':
    'Link mógł zostać po drodze obcięty lub zmieniony. Wróć do aplikacji i zacznij od nowa – otrzymasz nowy link.',
  'token.expiredTitle': 'To żądanie autoryzacji wygasło',
  'token.expiredBody': 'Żądania autoryzacji są ważne tylko kilka minut. Wróć do aplikacji i zacznij od nowa.',
  'token.expiredBodyApp':
    'Żądania aplikacji {app} są ważne tylko kilka minut. Wróć do aplikacji {app} i zacznij od nowa.',
  'token.usedTitle': 'To żądanie autoryzacji zostało już wykorzystane',
  'token.usedBody':
    'Każde żądanie można autoryzować tylko raz. W razie potrzeby wróć do aplikacji i zacznij od nowa.',
  'token.deniedTitle': 'To żądanie autoryzacji zostało anulowane',
  'token.deniedBody':
    'Odmówiono dostępu dla tego żądania. Jeśli zmienisz zdanie, wróć do aplikacji i zacznij od nowa.',
  'token.burnedTitle': 'To żądanie autoryzacji jest już nieważne',
  'token.burnedBody': 'Wpisano dla niego zbyt wiele błędnych PIN-ów. Wróć do aplikacji i zacznij od nowa.',

  'error.formExpiredTitle': 'Ten formularz wygasł',
  'error.formExpiredBody':
    'Strona była otwarta zbyt długo albo formularz pochodził z innej witryny, więc go nie wysłano. Wróć, odśwież stronę i spróbuj ponownie.',
  'error.tooManyAttemptsTitle': 'Zbyt wiele prób logowania',
  'error.tooManyAttemptsBody': 'Odczekaj minutę i spróbuj ponownie.',
  'error.notFoundTitle': 'Nie znaleziono strony',
  'error.notFoundBody': 'Pod tym adresem nic nie ma.',
  'error.forbiddenTitle': 'Brak uprawnień',
  'error.forbiddenBody': 'Twoje konto nie może otworzyć tej strony.',
  'error.badRequestTitle': 'Nie udało się zrozumieć tego żądania',
  'error.badRequestBody': 'Wróć do aplikacji i zacznij od nowa.',
  'error.serverErrorTitle': 'Coś poszło nie tak',
  'error.serverErrorBody': 'Serwer nie mógł obsłużyć żądania. Spróbuj ponownie za chwilę.',
  'error.unavailableTitle': 'Usługa chwilowo niedostępna',
  'error.unavailableBody':
    'Serwis nie może teraz połączyć się ze swoją bazą danych. Spróbuj ponownie za kilka sekund.',

  'signIn.pageTitle': 'Logowanie',
  'signIn.intro': 'Zaloguj się, aby zarządzać swoimi aplikacjami i aplikacjami połączonymi z Twoim kontem.',
  'signIn.submit': 'Zaloguj się',
  'signIn.noAccount': 'Nie masz jeszcze konta?',
  'signIn.createAccount': 'Załóż je',
  'signIn.wrongCredentials': 'Nazwa użytkownika lub hasło są nieprawidłowe.',
  'signIn.signedOut': 'Wylogowano.',

  'signUp.pageTitle': 'Załóż konto',
  'signUp.intro': 'Jedno konto pozwala autoryzować aplikacje i rejestrować własne.',
  'signUp.usernameHint': 'Od 3 do 32 znaków: litery, cyfry, kropki, myślniki lub podkreślenia.',
  'signUp.passwordHint': 'Co najmniej {min} znaków.',
  'signUp.submit': 'Załóż konto',
  'signUp.haveAccount': 'Masz już konto?',
  'signUp.signInInstead': 'Zaloguj się',
  'signUp.usernameInvalid':
    'Nazwa użytkownika musi mieć od 3 do 32 znaków: litery, cyfry, kropki, myślniki lub podkreślenia.',
  'signUp.usernameTaken': 'Ta nazwa użytkownika jest zajęta. Wybierz inną.',
  'signUp.passwordTooShort': 'Hasło musi mieć co najmniej {min} znaków.',

  'apps.pageTitle': 'Moje aplikacje',
  'apps.intro': 'Aplikacje, które zarejestrowano, aby działały w imieniu użytkowników Tripod za ich zgodą.',
  'apps.empty': 'Nie zarejestrowano jeszcze żadnej aplikacji.',
  'apps.create': 'Zarejestruj nową aplikację',
  'apps.columnName': 'Aplikacja',
  'apps.columnMode': 'Tryb',
  'apps.columnAccess': 'Dostęp',
  'apps.columnCreated': 'Zarejestrowano',
  'apps.disabled': 'Wyłączona przez operatora',
  'apps.deleted': 'Usunięto aplikację {app}. Jej klucze i tokeny przestały działać.',

  'mode.heading': 'Tryb autoryzacji',
  'mode.pin': 'Tylko PIN: użytkownicy zobaczą PIN, który wpiszą w Twojej aplikacji',
  'mode.web':
    'Web: użytkownicy wracają na Twój adres zwrotny (callback URL); autoryzacja kodem PIN również działa',
  'mode.shortPin': 'Tylko PIN',
  'mode.shortWeb': 'Web',

  'app.newPageTitle': 'Zarejestruj nową aplikację',
  'app.editPageTitle': 'Ustawienia aplikacji {app}',
  'app.detailsHeading': 'Szczegóły',
  'app.name': 'Nazwa',
  'app.nameHint': 'Wyświetlana użytkownikom, gdy Twoja aplikacja prosi o dostęp.',
  'app.description': 'Opis',
  'app.descriptionHint': 'Jedno lub dwa zdania o tym, co robi Twoja aplikacja.',
  'app.website': 'Strona internetowa',
  'app.websiteHint': 'Adres http lub https, pod którym można dowiedzieć się więcej o aplikacji. Opcjonalnie.',
  'app.callbacks': 'Adresy zwrotne (callback URL)',
  'app.callbacksHint':
    'Zostaw puste dla aplikacji desktopowej, konsolowej lub na urządzenie: użytkownicy dostaną PIN do wpisania. Dla aplikacji webowej dodaj adres: oauth_callback wysyłany przez aplikację musi zgadzać się z jednym z nich co do schematu, hosta, portu i ścieżki.',
  'app.callbackLabel': 'Adres zwrotny {number}',
  'app.addCallback': 'Dodaj adres zwrotny',
  'app.removeCallback': 'Usuń adres zwrotny {number}',
  'app.access': 'Poziom dostępu',
  'app.accessReadHint': 'Odczyt konta osoby, która ją autoryzowała.',
  'app.accessReadWriteHint': 'Także publikowanie i wprowadzanie zmian w jej imieniu.',
  'app.rsaKey': 'Klucz publiczny RSA (PEM)',
  'app.rsaKeyHint':
    'Tylko dla aplikacji podpisujących RSA-SHA1 lub RSA-SHA256. Dla podpisów HMAC zostaw puste.',
  'app.xauth': 'Zezwól na xAuth',
  'app.xauthHint':
    'Aplikacja może wymienić nazwę użytkownika i hasło na token. Zmienić to może tylko operator.',
  'app.submitCreate': 'Zarejestruj aplikację',
  'app.created':
    'Aplikacja została zarejestrowana. Jej klucz (consumer key) jest poniżej; sekret wyświetlisz, gdy będzie potrzebny.',
  'app.saved': 'Zapisano zmiany.',
  'app.keysHeading': 'Klucze',
  'app.consumerKey': 'Klucz konsumenta (API key)',
  'app.consumerSecret': 'Sekret konsumenta (API secret)',
  'app.secretHidden':
    'Ukryty. Każdy, kto go zna, może podszyć się pod Twoją aplikację, więc nie umieszczaj go w publicznym kodzie.',
  'app.revealSecret': 'Pokaż sekret',
  'app.regenerateSecret': 'Wygeneruj nowy sekret',
  'app.regenerateWarning': 'Nowy sekret zastąpi obecny, który natychmiast przestanie działać.',
  'app.secretRegenerated': 'Wygenerowano nowy sekret. Poprzedni już nie działa.',
  'app.debuggerLink': 'Debuger podpisów',
  'app.deleteHeading': 'Usuń tę aplikację',
  'app.deleteWarning':
    'Jej klucze i wszystkie jej tokeny natychmiast przestaną działać. Tego nie można cofnąć.',
  'app.deleteButton': 'Usuń aplikację {app}',
  'app.disabledNotice': 'Operator wyłączył tę aplikację: jej klucze i tokeny są odrzucane.',
  'app.errorName': 'Podaj nazwę o długości najwyżej {max} znaków.',
  'app.errorDescription': 'Opis może mieć najwyżej {max} znaków.',
  'app.errorWebsite': 'Strona internetowa musi być adresem http lub https.',
  'app.errorCallback':
    'Adres zwrotny {number} jest nieprawidłowy: użyj adresu bezwzględnego (https://… lub własnego schematu, np. myapp://callback) bez #fragmentu.',
  'app.errorTooManyCallbacks': 'Aplikacja może mieć najwyżej {max} adresów zwrotnych.',
  'app.errorAccess': 'Wybierz poziom dostępu.',
  'app.errorRsaKey': 'To nie jest klucz publiczny RSA w formacie PEM.',

  'debugger.pageTitle': 'Debuger podpisów aplikacji {app}',
  'debugger.intro':
    'Ostatnie żądania tej aplikacji odrzucone przez serwer (najwyżej {count}), od najnowszego. Porównaj ciąg bazowy z tym, który podpisała Twoja aplikacja: pierwsza różnica to zwykle źródło błędu.',
  'debugger.noSecrets':
    'Sekrety nigdy nie są tu pokazywane ani zapisywane, tylko to, co serwer otrzymał i obliczył.',
  'debugger.empty': 'Na razie nie odrzucono żadnego żądania.',
  'debugger.time': 'Czas',
  'debugger.problem': 'Problem',
  'debugger.request': 'Żądanie',
  'debugger.parameters': 'Otrzymane parametry',
  'debugger.baseString': 'Ciąg bazowy podpisu obliczony przez serwer',
  'debugger.backToApp': 'Wróć do aplikacji {app}',

  'connected.pageTitle': 'Połączone aplikacje',
  'connected.intro':
    'Aplikacje, którym pozwolono korzystać z Twojego konta. Po odebraniu dostępu aplikacja natychmiast traci dostęp.',
  'connected.empty': 'Nie połączono jeszcze żadnej aplikacji.',
  'connected.columnApp': 'Aplikacja',
  'connected.columnAccess': 'Dostęp',
  'connected.columnSince': 'Autoryzowano',
  'connected.revoke': 'Odbierz dostęp aplikacji {app}',
  'connected.revokeShort': 'Odbierz dostęp',
  'connected.revoked': 'Odebrano dostęp aplikacji {app}.',
  'connected.unknownApp': 'Aplikacja, która już nie istnieje',

  'operator.pageTitle': 'Operator',
  'operator.intro': 'Wszystkie konta i wszystkie zarejestrowane aplikacje na tym serwerze.',
  'operator.noApps': 'Na tym serwerze nie zarejestrowano żadnej aplikacji.',
  'operator.usersHeading': 'Użytkownicy',
  'operator.appsHeading': 'Aplikacje',
  'operator.columnUsername': 'Nazwa użytkownika',
  'operator.columnRole': 'Rola',
  'operator.columnJoined': 'Dołączył(a)',
  'operator.roleOperator': 'Operator',
  'operator.roleUser': 'Użytkownik',
  'operator.columnApp': 'Aplikacja',
  'operator.columnOwner': 'Zarejestrowana przez',
  'operator.columnStatus': 'Stan',
  'operator.columnXauth': 'xAuth',
  'operator.columnActions': 'Działania',
  'operator.statusActive': 'Aktywna',
  'operator.statusDisabled': 'Wyłączona',
  'operator.disable': 'Wyłącz aplikację {app}',
  'operator.enable': 'Włącz aplikację {app}',
  'operator.allowXauth': 'Zezwól aplikacji {app} na xAuth',
  'operator.removeXauth': 'Odbierz aplikacji {app} xAuth',
  'operator.noOwner': 'Operator',
  'operator.updated': 'Zaktualizowano aplikację {app}.',

  'home.pageTitle': 'Witaj w Tripod',
  'home.intro':
    'Aplikacje korzystają z tego serwera, by działać w imieniu Twojego konta, ale tylko za Twoją zgodą. Aplikacje bez adresu w sieci, takie jak narzędzia wiersza poleceń i urządzenia, pokazują PIN do wpisania.',
  'home.signInHint': 'autoryzuj aplikacje i zarządzaj kontem.',
  'home.signUpHint': 'autoryzuj aplikacje lub rejestruj własne.',
  'home.myAppsHint': 'rejestruj aplikacje, zobacz ich klucze i tryb, debuguj podpisy.',
  'home.connectedHint': 'zobacz aplikacje, którym pozwolono korzystać z Twojego konta, i odbierz ten dostęp.',
  'home.operatorHint': 'wszyscy użytkownicy i aplikacje na tym serwerze.',

  'pin.minutesLeft': '{minutes} min',
  'signIn.accountDisabled': 'To konto jest wyłączone. Skontaktuj się z operatorem tego serwera.',
  'error.backHome': 'Przejdź do strony głównej',
  'pin.elsewhereTitle': 'Ten PIN jest widoczny w innej przeglądarce',
  'pin.elsewhereBody':
    'PIN dla aplikacji {app} jest widoczny tylko w przeglądarce, w której ją autoryzowano. Sprawdź tam albo zacznij od nowa w aplikacji {app}.',
  'pin.usedTitle': 'PIN został użyty',
  'pin.usedBody': 'Aplikacja {app} użyła już tego PIN-u. Możesz zamknąć tę stronę.',
  'confirm.regenerateTitle': 'Wygenerować nowy sekret aplikacji {app}?',
  'confirm.regenerateBody':
    'Aplikacja {app} nie podpisze żadnego żądania, dopóki nie dostanie nowego sekretu.',
  'confirm.deleteTitle': 'Usunąć aplikację {app}?',
  'confirm.deleteBody':
    'Wszyscy, którzy autoryzowali aplikację {app}, stracą połączenie, a jej żądania będą odrzucane.',
  'confirm.revokeBody': 'Aplikacja {app} nie będzie już mogła korzystać z Twojego konta.',
  'confirm.revokeWarning': 'Aby przywrócić jej dostęp, trzeba będzie ponownie autoryzować aplikację {app}.',
  'confirm.disableBody':
    'Nikt nie będzie mógł korzystać z aplikacji {app}, dopóki jej ponownie nie włączysz.',
  'confirm.disableWarning': 'Jej klucze i wszystkie jej tokeny zostaną od razu odrzucone.',

  // ---- Strona dewelopera: porównanie w debugerze, pierwsze kroki, ikony, wykresy operatora
  'compare.heading': 'Porównaj ze swoim żądaniem',
  'compare.label': 'Twój ciąg bazowy, parametry albo nagłówek Authorization',
  'compare.hint':
    'Wklej ciąg bazowy podpisu, który podpisał Twój kod (większość bibliotek OAuth potrafi go wypisać), swoje parametry (jedno nazwa=wartość w wierszu) albo wysłany nagłówek Authorization. Przy nagłówku parametry zapytania i treści są brane tak, jak otrzymał je serwer.',
  'compare.button': 'Porównaj',
  'compare.resultHeading': 'Co się różni',
  'compare.yours': 'Twój ciąg bazowy',
  'compare.server': 'Ciąg bazowy serwera',
  'compare.firstDifference': 'Pierwsza różnica jest wyróżniona w obu.',
  'compare.unreadable':
    'To nie jest ciąg bazowy (METODA&URL&parametry), lista parametrów ani nagłówek Authorization OAuth. Wklej jedno z nich.',
  'compare.entryGone': 'To odrzucone żądanie nie jest już przechowywane. Porównaj z jednym z żądań poniżej.',
  'compare.identical':
    'Twój ciąg bazowy jest taki sam jak ciąg serwera. Różnica leży w kluczu: sprawdź sekret konsumenta i sekret tokenu połączone znakiem „&” (każdy zakodowany procentowo).',
  'compare.method':
    'Metoda się różni: Twoja to {yours}, serwer otrzymał {server}. Podpisuj metodę, którą wysyłasz, wielkimi literami.',
  'compare.uriScheme':
    'Schemat adresu się różni: podpisano {yours}, serwer sprawdza {server}. Za proxy kończącym TLS podpisuj adres, który wywołuje klient (publiczny adres serwera).',
  'compare.uriPort':
    'Port się różni: podpisano {yours}, serwer sprawdza {server}. Pomiń :80 dla http i :443 dla https, każdy inny port podaj.',
  'compare.uriCase':
    'Adres różni się wielkością liter: podpisano {yours}, serwer sprawdza {server}. Schemat i host zapisuje się małymi literami.',
  'compare.uriQuery':
    'Podpisano adres razem z zapytaniem ({yours}). Adres w ciągu bazowym kończy się przed „?”: parametry zapytania trafiają do posortowanych parametrów.',
  'compare.uriSlash': 'Ścieżka różni się ukośnikiem: podpisano {yours}, serwer sprawdza {server}.',
  'compare.uriNotEncoded':
    'Adres nie jest zakodowany procentowo: trzeba go zakodować w całości, tak aby „://” stało się „%3A%2F%2F”, a „/” — „%2F”.',
  'compare.uriOther': 'Adres się różni: podpisano {yours}, serwer sprawdza {server}.',
  'compare.parametersNotEncoded':
    'Parametry nie są zakodowane procentowo w całości: po posortowaniu cały ciąg „nazwa=wartość&…” koduje się jeszcze raz, więc „=” staje się „%3D”, a „&” — „%26”.',
  'compare.missing': 'Serwer otrzymał {name} = „{value}”, którego nie ma w Twoim ciągu bazowym.',
  'compare.extra': 'Twój ciąg bazowy zawiera {name} = „{value}”, którego serwer nie otrzymał.',
  'compare.value': '{name} się różni: podpisano „{yours}”, serwer otrzymał „{server}”.',
  'compare.plusForSpace':
    '{name}: podpisano „{yours}” z „+” tam, gdzie serwer otrzymał spację („{server}”). W treści formularza i w zapytaniu „+” oznacza spację; podpisz odkodowaną wartość, którą koduje się jako %20.',
  'compare.encodingLowercaseHex':
    '{name} ma tę samą wartość, ale cyfry szesnastkowe są małymi literami ({character}): RFC 5849 wymaga wielkich, czyli {server} zamiast {yours}.',
  'compare.encodingNotEncoded':
    '{name} ma tę samą wartość, ale „{character}” zostało niezakodowane: koduje się każdy znak poza literami, cyframi i - . _ ~, czyli {server} zamiast {yours}.',
  'compare.encodingTwice':
    '{name} jest zakodowane o jeden raz za dużo ({yours} tam, gdzie serwer ma {server}): koduj każdą wartość tylko raz przed normalizacją.',
  'compare.encodingOther':
    '{name} po odkodowaniu ma tę samą wartość, ale jest zakodowane inaczej: {yours} zamiast {server}.',
  'compare.order':
    'Te same parametry w innej kolejności: {name} stoi przed {previous}. Sortuj według zakodowanej nazwy, potem wartości, bajt po bajcie.',
  'app.startLink': 'Pierwsze kroki: adresy, wiersz poleceń, Python',
  'start.pageTitle': 'Pierwsze kroki z {app}',
  'start.intro': 'Wszystko, czego klient potrzebuje do rozmowy z tym serwerem, z już wpisanym kluczem {app}.',
  'start.endpointsHeading': 'Adresy tego serwera',
  'start.requestToken': 'Token żądania (POST)',
  'start.authorize': 'Strona autoryzacji (otwierana w przeglądarce)',
  'start.accessToken': 'Token dostępu (POST)',
  'start.verifyCredentials': 'Pierwsze wywołanie API (GET)',
  'start.secretHint':
    'Żaden z przykładów poniżej nie zawiera sekretu konsumenta. Najpierw ustaw go w powłoce, kopiując z sekcji kluczy {app}:',
  'start.cliHeading': 'Z wiersza poleceń',
  'start.cliHint':
    'Przeprowadza autoryzację PIN-em narzędziem wiersza poleceń Tripoda i zapisuje token dostępu jako domyślne konto tej witryny.',
  'start.requestHint': 'Potem wyślij nim podpisane żądanie:',
  'start.pythonHeading': 'W Pythonie, z requests-oauthlib',
  'start.pythonHint':
    'Zapisz jako start.py i uruchom python3 start.py (pip install requests-oauthlib albo debianowy pakiet python3-requests-oauthlib).',
  'operator.searchLabel': 'Szukaj aplikacji po nazwie lub kluczu',
  'operator.searchButton': 'Szukaj',
  'operator.appsFound': 'Znalezione aplikacje: {count}',
  'operator.noMatch': 'Żadna aplikacja nie pasuje do „{search}”.',
  'operator.pagination': 'Strony listy aplikacji',
  'operator.pageOf': 'Strona {page} z {pages}',
  'operator.previousPage': 'Poprzednia strona',
  'operator.nextPage': 'Następna strona',
};
