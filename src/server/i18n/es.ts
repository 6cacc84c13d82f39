// Español neutro, tuteando, como hacen la mayoría de los servicios web en español.

import type { Messages } from './en.ts';

export const es: Messages = {
  'common.productName': 'Tripod',
  'common.skipToContent': 'Saltar al contenido principal',
  'common.mainNavigation': 'Navegación principal',
  'common.username': 'Nombre de usuario',
  'common.password': 'Contraseña',
  'common.save': 'Guardar cambios',
  'common.cancel': 'Cancelar',
  'common.back': 'Volver',
  'common.yes': 'Sí',
  'common.no': 'No',
  'common.accessRead': 'Solo lectura',
  'common.accessReadWrite': 'Lectura y escritura',
  'common.copy': 'Copiar',
  'common.copied': 'Copiado.',
  'common.errorSummary': 'Corrige lo siguiente:',

  'nav.myApps': 'Mis aplicaciones',
  'nav.connectedApps': 'Aplicaciones conectadas',
  'nav.operator': 'Operador',
  'nav.signIn': 'Iniciar sesión',
  'nav.signUp': 'Crear cuenta',
  'nav.signOut': 'Cerrar sesión',
  'nav.signedInAs': 'Sesión iniciada como {user}',

  'authorize.pageTitle': '¿Autorizar a {app}?',
  'authorize.heading': '¿Permitir que {app} use tu cuenta?',
  'authorize.aboutApp': 'Acerca de esta aplicación',
  'authorize.website': 'Sitio web',
  'authorize.registeredBy': 'Registrada por {owner}',
  'authorize.registeredByOperator': 'Registrada por el operador de este servidor',
  'authorize.accessLevel': 'Acceso solicitado',
  'authorize.canHeading': 'Esta aplicación podrá:',
  'authorize.canRead': 'Ver la información de tu cuenta, como tu nombre de usuario.',
  'authorize.canWrite': 'Publicar y hacer cambios en tu nombre.',
  'authorize.neverHeading': 'Nunca podrá:',
  'authorize.neverPassword': 'Ver tu contraseña.',
  'authorize.neverAccount': 'Cambiar tu contraseña ni la configuración de tu cuenta.',
  'authorize.revokeHint': 'Puedes retirar este acceso cuando quieras en Aplicaciones conectadas.',
  'authorize.signedInAs': 'Sesión iniciada como {user}.',
  'authorize.switchAccount': 'Usar otra cuenta',
  'authorize.signInHeading': 'Inicia sesión para continuar',
  'authorize.signInIntro':
    'Escribe tu nombre de usuario y tu contraseña para decidir si {app} puede usar tu cuenta.',
  'authorize.allow': 'Autorizar aplicación',
  'authorize.deny': 'Cancelar',
  'authorize.confirmUserHeading': '¿Qué cuenta debe usar {app}?',
  'authorize.confirmUserBody':
    'Has iniciado sesión como {user}. Comprueba que es la cuenta que quieres que use {app}.',
  'authorize.confirmUserSwitch': 'Cerrar sesión y usar otra cuenta',
  'authorize.wrongCredentials': 'El nombre de usuario o la contraseña no son correctos.',
  'authorize.signInRequired': 'Escribe tu nombre de usuario y tu contraseña para autorizar esta aplicación.',
  'authorize.alreadyAuthorized': 'Ya autorizaste esta aplicación. Confirma para continuar.',

  'pin.pageTitle': 'Tu PIN para {app}',
  'pin.heading': 'Has autorizado a {app}',
  'pin.intro': 'Este es tu PIN:',
  'pin.instruction': 'Vuelve a {app} e introduce este PIN',
  'pin.copy': 'Copiar PIN',
  'pin.copied': 'PIN copiado.',
  'pin.copyFailed': 'No se pudo copiar. Selecciona el PIN y cópialo tú.',
  'pin.timeLeft': 'Tiempo restante para introducirlo:',
  'pin.expired': 'Este PIN ha caducado. Vuelve a {app} y empieza de nuevo.',
  'pin.singleUse': 'El PIN solo funciona una vez. No se lo des a nadie.',
  'pin.closeAfter': 'Cuando hayas introducido el PIN, puedes cerrar esta página.',

  'denied.pageTitle': 'Autorización cancelada',
  'denied.body': '{app} no ha recibido acceso a tu cuenta.',
  'denied.next': 'Puedes cerrar esta página. Si cambias de opinión, empieza de nuevo desde {app}.',

  'token.missingTitle': 'Este enlace de autorización está incompleto',
  'token.missingBody':
    'Al enlace le falta el parámetro oauth_token. Vuelve a la aplicación e inicia sesión de nuevo.',
  'token.unknownTitle': 'Este enlace de autorización no funciona',
  'token.unknownBody':
    'Puede que el enlace se haya cortado o modificado por el camino. Vuelve a la aplicación y empieza de nuevo: te dará un enlace nuevo.',
  'token.expiredTitle': 'Esta solicitud de autorización ha caducado',
  'token.expiredBody':
    'Las solicitudes de autorización solo son válidas unos minutos. Vuelve a la aplicación y empieza de nuevo.',
  'token.expiredBodyApp':
    'Las solicitudes de {app} solo son válidas unos minutos. Vuelve a {app} y empieza de nuevo.',
  'token.usedTitle': 'Esta solicitud de autorización ya se usó',
  'token.usedBody':
    'Cada solicitud se puede autorizar una sola vez. Si lo necesitas, vuelve a la aplicación y empieza de nuevo.',
  'token.deniedTitle': 'Esta solicitud de autorización se canceló',
  'token.deniedBody':
    'Se denegó el acceso para esta solicitud. Si has cambiado de opinión, vuelve a la aplicación y empieza de nuevo.',
  'token.burnedTitle': 'Esta solicitud de autorización ya no es válida',
  'token.burnedBody':
    'Se introdujeron demasiados PIN incorrectos. Vuelve a la aplicación y empieza de nuevo.',

  'error.formExpiredTitle': 'Este formulario ha caducado',
  'error.formExpiredBody':
    'La página estuvo abierta demasiado tiempo o venía de otro sitio, así que no se envió. Vuelve atrás, recarga la página e inténtalo de nuevo.',
  'error.tooManyAttemptsTitle': 'Demasiados intentos de inicio de sesión',
  'error.tooManyAttemptsBody': 'Espera un minuto y vuelve a intentarlo.',
  'error.notFoundTitle': 'Página no encontrada',
  'error.notFoundBody': 'No hay nada en esta dirección.',
  'error.forbiddenTitle': 'No permitido',
  'error.forbiddenBody': 'Tu cuenta no puede abrir esta página.',
  'error.badRequestTitle': 'No se pudo entender esta solicitud',
  'error.badRequestBody': 'Vuelve a la aplicación y empieza de nuevo.',
  'error.serverErrorTitle': 'Algo salió mal',
  'error.serverErrorBody': 'El servidor no pudo completar la solicitud. Inténtalo de nuevo en un momento.',
  'error.unavailableTitle': 'No disponible temporalmente',
  'error.unavailableBody':
    'El servicio no puede acceder a su base de datos en este momento. Inténtalo de nuevo en unos segundos.',

  'signIn.pageTitle': 'Iniciar sesión',
  'signIn.intro': 'Inicia sesión para gestionar tus aplicaciones y las aplicaciones conectadas a tu cuenta.',
  'signIn.submit': 'Iniciar sesión',
  'signIn.noAccount': '¿Aún no tienes cuenta?',
  'signIn.createAccount': 'Crea una',
  'signIn.wrongCredentials': 'El nombre de usuario o la contraseña no son correctos.',
  'signIn.signedOut': 'Has cerrado la sesión.',

  'signUp.pageTitle': 'Crear una cuenta',
  'signUp.intro': 'Con una cuenta puedes autorizar aplicaciones y registrar las tuyas.',
  'signUp.usernameHint': 'De 3 a 32 caracteres: letras, dígitos, puntos, guiones o guiones bajos.',
  'signUp.passwordHint': 'Al menos {min} caracteres.',
  'signUp.submit': 'Crear cuenta',
  'signUp.haveAccount': '¿Ya tienes cuenta?',
  'signUp.signInInstead': 'Inicia sesión',
  'signUp.usernameInvalid':
    'El nombre de usuario debe tener de 3 a 32 caracteres: letras, dígitos, puntos, guiones o guiones bajos.',
  'signUp.usernameTaken': 'Ese nombre de usuario ya existe. Elige otro.',
  'signUp.passwordTooShort': 'La contraseña debe tener al menos {min} caracteres.',

  'apps.pageTitle': 'Mis aplicaciones',
  'apps.intro': 'Aplicaciones que registraste para actuar en nombre de usuarios de Tripod con su permiso.',
  'apps.empty': 'Todavía no has registrado ninguna aplicación.',
  'apps.create': 'Registrar una aplicación nueva',
  'apps.columnName': 'Aplicación',
  'apps.columnMode': 'Modo',
  'apps.columnAccess': 'Acceso',
  'apps.columnCreated': 'Registrada',
  'apps.disabled': 'Desactivada por el operador',
  'apps.deleted': 'Se eliminó {app}. Sus claves y tokens ya no funcionan.',

  'mode.heading': 'Modo de autorización',
  'mode.pin': 'Solo PIN: los usuarios verán un PIN para escribirlo en tu aplicación',
  'mode.web':
    'Web: los usuarios vuelven a tu URL de retorno (callback); la autorización con PIN también funciona',
  'mode.shortPin': 'Solo PIN',
  'mode.shortWeb': 'Web',

  'app.newPageTitle': 'Registrar una aplicación nueva',
  'app.editPageTitle': 'Configuración de {app}',
  'app.detailsHeading': 'Datos',
  'app.name': 'Nombre',
  'app.nameHint': 'Se muestra a las personas cuando tu aplicación pide acceso.',
  'app.description': 'Descripción',
  'app.descriptionHint': 'Una o dos frases sobre lo que hace tu aplicación.',
  'app.website': 'Sitio web',
  'app.websiteHint': 'Una dirección http o https donde conocer tu aplicación. Opcional.',
  'app.callbacks': 'URL de retorno (callback)',
  'app.callbacksHint':
    'Déjalo vacío para una aplicación de escritorio, de línea de comandos o para dispositivos: los usuarios recibirán un PIN para escribirlo. Para una aplicación web, añade una URL: el oauth_callback que envíe tu aplicación debe coincidir con una de ellas en esquema, host, puerto y ruta.',
  'app.callbackLabel': 'URL de retorno {number}',
  'app.addCallback': 'Añadir una URL de retorno',
  'app.removeCallback': 'Quitar la URL de retorno {number}',
  'app.access': 'Nivel de acceso',
  'app.accessReadHint': 'Leer la cuenta de la persona que la autorizó.',
  'app.accessReadWriteHint': 'Además, publicar y hacer cambios en su nombre.',
  'app.rsaKey': 'Clave pública RSA (PEM)',
  'app.rsaKeyHint':
    'Solo para aplicaciones que firman con RSA-SHA1 o RSA-SHA256. Déjalo vacío para firmas HMAC.',
  'app.xauth': 'Permitir xAuth',
  'app.xauthHint':
    'La aplicación puede canjear un nombre de usuario y una contraseña por un token. Solo el operador puede cambiarlo.',
  'app.submitCreate': 'Registrar aplicación',
  'app.created':
    'Tu aplicación está registrada. Su clave (consumer key) está abajo; muestra el secreto cuando lo necesites.',
  'app.saved': 'Se guardaron los cambios.',
  'app.keysHeading': 'Claves',
  'app.consumerKey': 'Clave de consumidor (API key)',
  'app.consumerSecret': 'Secreto de consumidor (API secret)',
  'app.secretHidden':
    'Oculto. Quien lo tenga puede hacerse pasar por tu aplicación, así que no lo pongas en código público.',
  'app.revealSecret': 'Mostrar secreto',
  'app.regenerateSecret': 'Generar un secreto nuevo',
  'app.regenerateWarning': 'Un secreto nuevo sustituye al actual, que deja de funcionar al instante.',
  'app.secretRegenerated': 'Se generó un secreto nuevo. El anterior ya no funciona.',
  'app.debuggerLink': 'Depurador de firmas',
  'app.deleteHeading': 'Eliminar esta aplicación',
  'app.deleteWarning': 'Sus claves y todos sus tokens dejan de funcionar al instante. No se puede deshacer.',
  'app.deleteButton': 'Eliminar {app}',
  'app.disabledNotice': 'El operador desactivó esta aplicación: sus claves y tokens se rechazan.',
  'app.errorName': 'Escribe un nombre de {max} caracteres como máximo.',
  'app.errorDescription': 'La descripción puede tener {max} caracteres como máximo.',
  'app.errorWebsite': 'El sitio web debe ser una dirección http o https.',
  'app.errorCallback':
    'La URL de retorno {number} no es válida: usa una URL absoluta (https://… o un esquema propio como myapp://callback) sin #fragmento.',
  'app.errorTooManyCallbacks': 'Una aplicación puede tener {max} URL de retorno como máximo.',
  'app.errorAccess': 'Elige un nivel de acceso.',
  'app.errorRsaKey': 'Esto no es una clave pública RSA en formato PEM.',

  'debugger.pageTitle': 'Depurador de firmas de {app}',
  'debugger.intro':
    'Las últimas {count} solicitudes de esta aplicación que el servidor rechazó, de la más reciente a la más antigua. Compara la cadena base con la que firmó tu aplicación: la primera diferencia suele ser el error.',
  'debugger.noSecrets':
    'Aquí nunca se muestran ni se guardan secretos, solo lo que el servidor recibió y calculó.',
  'debugger.empty': 'Todavía no se ha rechazado ninguna solicitud.',
  'debugger.time': 'Hora',
  'debugger.problem': 'Problema',
  'debugger.request': 'Solicitud',
  'debugger.parameters': 'Parámetros recibidos',
  'debugger.baseString': 'Cadena base de la firma calculada por el servidor',
  'debugger.backToApp': 'Volver a {app}',

  'connected.pageTitle': 'Aplicaciones conectadas',
  'connected.intro':
    'Aplicaciones a las que permitiste usar tu cuenta. Si retiras el acceso, la aplicación se detiene al instante.',
  'connected.empty': 'No has conectado ninguna aplicación.',
  'connected.columnApp': 'Aplicación',
  'connected.columnAccess': 'Acceso',
  'connected.columnSince': 'Autorizada el',
  'connected.revoke': 'Retirar el acceso a {app}',
  'connected.revokeShort': 'Retirar acceso',
  'connected.revoked': 'Se retiró el acceso a {app}.',
  'connected.unknownApp': 'Una aplicación que ya no existe',

  'operator.pageTitle': 'Operador',
  'operator.intro': 'Todas las cuentas y todas las aplicaciones registradas en este servidor.',
  'operator.noApps': 'No hay ninguna aplicación registrada en este servidor.',
  'operator.usersHeading': 'Usuarios',
  'operator.appsHeading': 'Aplicaciones',
  'operator.columnUsername': 'Nombre de usuario',
  'operator.columnRole': 'Rol',
  'operator.columnJoined': 'Alta',
  'operator.roleOperator': 'Operador',
  'operator.roleUser': 'Usuario',
  'operator.columnApp': 'Aplicación',
  'operator.columnOwner': 'Registrada por',
  'operator.columnStatus': 'Estado',
  'operator.columnXauth': 'xAuth',
  'operator.columnActions': 'Acciones',
  'operator.statusActive': 'Activa',
  'operator.statusDisabled': 'Desactivada',
  'operator.disable': 'Desactivar {app}',
  'operator.enable': 'Activar {app}',
  'operator.allowXauth': 'Permitir xAuth a {app}',
  'operator.removeXauth': 'Quitar xAuth a {app}',
  'operator.noOwner': 'Operador',
  'operator.updated': 'Se actualizó {app}.',

  'home.pageTitle': 'Te damos la bienvenida a Tripod',
  'home.intro':
    'Las aplicaciones usan este servidor para actuar en nombre de tu cuenta, solo con tu permiso. Las aplicaciones sin dirección web, como herramientas de línea de comandos y dispositivos, te muestran un PIN para escribir.',
  'home.signInHint': 'autoriza aplicaciones y gestiona tu cuenta.',
  'home.signUpHint': 'autoriza aplicaciones o registra las tuyas.',
  'home.myAppsHint': 'registra aplicaciones, consulta sus claves y su modo, y depura sus firmas.',
  'home.connectedHint': 'consulta las aplicaciones a las que diste acceso a tu cuenta y retíraselo.',
  'home.operatorHint': 'todos los usuarios y aplicaciones de este servidor.',

  'pin.minutesLeft': '{minutes} min',
  'signIn.accountDisabled': 'Esta cuenta está desactivada. Consulta al operador de este servidor.',
  'error.backHome': 'Ir a la página de inicio',
  'pin.elsewhereTitle': 'Este PIN se muestra en otro navegador',
  'pin.elsewhereBody':
    'El PIN de {app} solo se muestra en el navegador donde la autorizaste. Búscalo allí o empieza de nuevo desde {app}.',
  'pin.usedTitle': 'PIN usado',
  'pin.usedBody': '{app} ya ha usado este PIN. Puedes cerrar esta página.',
  'confirm.regenerateTitle': '¿Generar un nuevo secreto para {app}?',
  'confirm.regenerateBody': '{app} no podrá firmar solicitudes hasta que reciba el nuevo secreto.',
  'confirm.deleteTitle': '¿Eliminar {app}?',
  'confirm.deleteBody':
    'Todas las personas que autorizaron {app} perderán la conexión y sus solicitudes se rechazarán.',
  'confirm.revokeBody': '{app} ya no podrá usar tu cuenta.',
  'confirm.revokeWarning': 'Para volver a darle acceso, tendrás que autorizar {app} de nuevo.',
  'confirm.disableBody': 'Nadie podrá usar {app} hasta que la vuelvas a activar.',
  'confirm.disableWarning': 'Sus claves y todos sus tokens se rechazarán al instante.',

  // ---- El lado del desarrollador: comparación en el depurador, primeros pasos, iconos, gráficos del operador
  'compare.heading': 'Comparar con tu petición',
  'compare.label': 'Tu cadena base, tus parámetros o tu cabecera Authorization',
  'compare.hint':
    'Pega la cadena base de la firma que firmó tu código (la mayoría de las bibliotecas OAuth pueden mostrarla), tus parámetros (un nombre=valor por línea) o la cabecera Authorization que enviaste. Con una cabecera, los parámetros de la consulta y del cuerpo se toman tal como los recibió el servidor.',
  'compare.button': 'Comparar',
  'compare.resultHeading': 'Qué es distinto',
  'compare.yours': 'Tu cadena base',
  'compare.server': 'La cadena base del servidor',
  'compare.firstDifference': 'La primera diferencia está resaltada en las dos.',
  'compare.unreadable':
    'Esto no es una cadena base (MÉTODO&URL&parámetros), ni una lista de parámetros, ni una cabecera Authorization de OAuth. Pega una de ellas.',
  'compare.entryGone': 'Esa petición rechazada ya no se guarda. Compara con una de las peticiones de abajo.',
  'compare.identical':
    'Tu cadena base es igual a la del servidor. La diferencia está en la clave: revisa el secreto del consumidor y el secreto del token, unidos con "&" (cada uno codificado con porcentajes).',
  'compare.method':
    'El método es distinto: el tuyo es {yours} y el servidor recibió {server}. Firma el método que envías, en mayúsculas.',
  'compare.uriScheme':
    'El esquema de la URL es distinto: firmaste {yours} y el servidor verifica {server}. Detrás de un proxy que termina TLS, firma la URL a la que llama el cliente (la URL pública del servidor).',
  'compare.uriPort':
    'El puerto es distinto: firmaste {yours} y el servidor verifica {server}. Omite :80 en http y :443 en https; cualquier otro puerto, inclúyelo.',
  'compare.uriCase':
    'La URL difiere en mayúsculas y minúsculas: firmaste {yours} y el servidor verifica {server}. El esquema y el host van en minúsculas.',
  'compare.uriQuery':
    'Firmaste la URL con su consulta ({yours}). La URL de la cadena base termina antes del "?": los parámetros de la consulta van con los parámetros ordenados.',
  'compare.uriSlash': 'La ruta difiere en una barra: firmaste {yours} y el servidor verifica {server}.',
  'compare.uriNotEncoded':
    'La URL no está codificada con porcentajes: hay que codificarla entera, de modo que "://" pase a ser "%3A%2F%2F" y "/" pase a ser "%2F".',
  'compare.uriOther': 'La URL es distinta: firmaste {yours} y el servidor verifica {server}.',
  'compare.parametersNotEncoded':
    'Los parámetros no están codificados como un todo: tras ordenarlos, toda la cadena "nombre=valor&…" se codifica otra vez, así que "=" pasa a ser "%3D" y "&" pasa a ser "%26".',
  'compare.missing': 'El servidor recibió {name} = "{value}", que tu cadena base no tiene.',
  'compare.extra': 'Tu cadena base tiene {name} = "{value}", que el servidor no recibió.',
  'compare.value': '{name} es distinto: firmaste "{yours}" y el servidor recibió "{server}".',
  'compare.plusForSpace':
    '{name}: firmaste "{yours}" con "+" donde el servidor recibió un espacio ("{server}"). En un cuerpo de formulario o en una consulta, "+" significa espacio; firma el valor decodificado, que se codifica como %20.',
  'compare.encodingLowercaseHex':
    '{name} tiene el mismo valor, pero con hexadecimal en minúsculas ({character}): RFC 5849 pide mayúsculas, {server} en vez de {yours}.',
  'compare.encodingNotEncoded':
    '{name} tiene el mismo valor, pero "{character}" quedó sin codificar: se codifica todo carácter salvo letras, dígitos y - . _ ~, {server} en vez de {yours}.',
  'compare.encodingTwice':
    '{name} está codificado una vez de más ({yours} donde el servidor tiene {server}): codifica cada valor una sola vez antes de normalizar.',
  'compare.encodingOther':
    '{name} decodificado da el mismo valor, pero está codificado de otra forma: {yours} en vez de {server}.',
  'compare.order':
    'Los mismos parámetros en otro orden: {name} va antes que {previous}. Ordena por nombre codificado y luego por valor, byte a byte.',
  'app.startLink': 'Primeros pasos: direcciones, línea de órdenes, Python',
  'start.pageTitle': 'Primeros pasos con {app}',
  'start.intro':
    'Todo lo que un cliente necesita para hablar con este servidor, ya rellenado con la clave de {app}.',
  'start.endpointsHeading': 'Direcciones de este servidor',
  'start.requestToken': 'Token de solicitud (POST)',
  'start.authorize': 'Página de autorización (se abre en el navegador)',
  'start.accessToken': 'Token de acceso (POST)',
  'start.verifyCredentials': 'Una primera llamada a la API (GET)',
  'start.secretHint':
    'Ninguno de los ejemplos de abajo contiene el secreto del consumidor. Defínelo antes en tu terminal, copiado de la sección de claves de {app}:',
  'start.cliHeading': 'Desde la línea de órdenes',
  'start.cliHint':
    'Hace el flujo con PIN con la herramienta de línea de órdenes de Tripod y guarda el token de acceso como cuenta predeterminada de este sitio.',
  'start.requestHint': 'Después, haz con él una petición firmada:',
  'start.pythonHeading': 'En Python, con requests-oauthlib',
  'start.pythonHint':
    'Guárdalo como start.py y ejecuta python3 start.py (pip install requests-oauthlib, o el paquete python3-requests-oauthlib de Debian).',
};
