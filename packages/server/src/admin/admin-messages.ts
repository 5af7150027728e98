import type { PageLocale } from '../pages/i18n.js';

const de = {
  status: 'Status',
  actions: 'Aktionen',
  active: 'aktiv',
  deactivatedSince: 'deaktiviert seit',
  you: 'Ihr Konto',
  roleOf: 'Rolle von {email}',
  changeRole: 'Rolle ändern',
  deactivate: 'Deaktivieren',
  reactivate: 'Wieder aktivieren',
  openAssigned: 'Noch zugewiesene offene Gespräche: {count}',
  roleChanged: '{email} hat jetzt die Rolle „{role}“, ab der nächsten Seite, die {email} öffnet.',
  deactivated:
    '{email} ist deaktiviert und überall abgemeldet. Verlauf, Antworten und Bewertungen bleiben erhalten; zugewiesene offene Gespräche bleiben zugewiesen, bis jemand sie übernimmt.',
  reactivated: '{email} ist wieder aktiv und kann sich anmelden.',
  roleInvalid: 'Rolle: „{value}“ gibt es nicht. Wählen Sie eine dieser Rollen: {roles}.',
  ownAccount:
    'Ihr eigenes Konto können Sie weder deaktivieren noch herabstufen. Das kann ein anderer Administrator.',
  lastAdmin:
    '{email} ist der letzte aktive Administrator und kann weder deaktiviert noch herabgestuft werden. Ernennen Sie zuerst einen anderen Administrator.',
  agentsTable: 'Konten mit Rolle und Status',
  settingsNotSaved:
    'Die Einstellungen sind nicht gespeichert. Was zu ändern ist, steht beim Textfeld „{form}“; Ihr Text ist erhalten.',
  settingsIssues: 'Zu ändern:',
  wholeSettings: 'Einstellungen',
  issue: {
    invalidJson: 'ist kein gültiges JSON ({detail})',
    keyTaken:
      '„{key}“ gibt es schon. Wählen Sie einen anderen Schlüssel, oder ändern Sie die Einstellungen von „{key}“ in deren eigenem Textfeld.',
    keyReserved: '„new“ ist für dieses Formular reserviert. Wählen Sie einen anderen Schlüssel.',
    keyFixed:
      'muss „{key}“ bleiben: Der Schlüssel einer Website lässt sich nicht ändern. Eine neue Website legen Sie im Textfeld „neue Website“ an.',
    missing: 'fehlt',
    notSetting: 'gibt es nicht (vertippt?)',
    string: 'muss Text in Anführungszeichen sein',
    number: 'muss eine Zahl sein',
    int: 'muss eine ganze Zahl sein',
    boolean: 'muss true oder false sein',
    array: 'muss eine Liste in [ ] sein',
    object: 'muss ein Objekt in { } sein',
    wrongType: 'hat den falschen Typ (erwartet: {expected})',
    empty: 'darf nicht leer sein',
    minChars: 'muss mindestens {n} Zeichen lang sein',
    maxChars: 'darf höchstens {n} Zeichen lang sein',
    minItems: 'braucht mindestens {n} Einträge',
    maxItems: 'darf höchstens {n} Einträge haben',
    min: 'muss mindestens {n} sein',
    above: 'muss größer als {n} sein',
    max: 'darf höchstens {n} sein',
    below: 'muss kleiner als {n} sein',
    email: 'muss eine E-Mail-Adresse sein',
    url: 'muss eine URL wie https://… sein',
    date: 'muss ein Datum wie 2026-12-24 sein (JJJJ-MM-TT)',
    format: 'hat nicht die erwartete Form',
    oneOf: 'muss einer dieser Werte sein: {values}',
  },
  /** The site settings' own messages (sites/site-settings.ts) in German; others are shown as they are. */
  schemaMessages: {
    'must be a slug (letters, digits, - and _)':
      'muss ein Kürzel aus Buchstaben, Ziffern, - und _ sein',
    'must look like "09:00-17:30" (24-hour clock, end up to 24:00)':
      'muss die Form „09:00-17:30“ haben (24-Stunden-Uhr, Ende bis 24:00)',
    'must end after it starts': 'muss nach dem Beginn enden',
    'must be an origin such as "https://shop.example.com" (scheme, host, optional port; no path)':
      'muss ein Origin wie „https://shop.example.com“ sein (Schema, Host, wahlweise Port; kein Pfad)',
    'must be an environment variable name': 'muss der Name einer Umgebungsvariablen sein',
    'needs `password` or `passwordEnv` (the environment variable holding it)':
      'braucht `password` oder `passwordEnv` (die Umgebungsvariable mit dem Passwort)',
    'may be "none" only for a server on this machine (127.0.0.1, ::1, localhost)':
      'darf nur für einen Server auf diesem Rechner „none“ sein (127.0.0.1, ::1, localhost)',
    'must be an IANA time zone such as "Europe/Berlin"':
      'muss eine IANA-Zeitzone wie „Europe/Berlin“ sein',
    'must be at least 32 characters (e.g. `openssl rand -hex 32`)':
      'muss mindestens 32 Zeichen lang sein (z. B. `openssl rand -hex 32`)',
    'must be 1 to 40 characters': 'muss 1 bis 40 Zeichen lang sein',
    'must not contain a comma (the tag field separates by commas)':
      'darf kein Komma enthalten (das Schlagwortfeld trennt mit Kommas)',
    'must be an ISO 4217 code such as "EUR"': 'muss ein ISO-4217-Code wie „EUR“ sein',
  } as Readonly<Record<string, string>>,
};

/** The administration's copy for managing agents and site settings. */
export type AdminMessages = typeof de;

const en: AdminMessages = {
  status: 'Status',
  actions: 'Actions',
  active: 'active',
  deactivatedSince: 'deactivated since',
  you: 'your account',
  roleOf: 'Role of {email}',
  changeRole: 'Change role',
  deactivate: 'Deactivate',
  reactivate: 'Reactivate',
  openAssigned: 'Open conversations still assigned: {count}',
  roleChanged: '{email} now has the role “{role}”, from the next page {email} opens.',
  deactivated:
    '{email} is deactivated and signed out everywhere. Their history, replies and reviews stay; their open conversations stay assigned until someone takes them over.',
  reactivated: '{email} is active again and can sign in.',
  roleInvalid: 'Role: “{value}” does not exist. Choose one of these roles: {roles}.',
  ownAccount: 'You cannot deactivate or demote your own account. Another admin can.',
  lastAdmin:
    '{email} is the last active admin and can be neither deactivated nor demoted. Make someone else an admin first.',
  agentsTable: 'Accounts with role and status',
  settingsNotSaved:
    'The settings were not saved. What to change is listed at the text field “{form}”; your text is kept.',
  settingsIssues: 'To change:',
  wholeSettings: 'settings',
  issue: {
    invalidJson: 'is not valid JSON ({detail})',
    keyTaken:
      '“{key}” exists already. Choose another key, or change the settings of “{key}” in its own text field.',
    keyReserved: '“new” is reserved for this form. Choose another key.',
    keyFixed:
      'must stay “{key}”: a site’s key cannot change. Create a new site in the text field “new site”.',
    missing: 'is missing',
    notSetting: 'is not a setting (a typo?)',
    string: 'must be text in quotes',
    number: 'must be a number',
    int: 'must be a whole number',
    boolean: 'must be true or false',
    array: 'must be a list in [ ]',
    object: 'must be an object in { }',
    wrongType: 'has the wrong type (expected: {expected})',
    empty: 'must not be empty',
    minChars: 'must be at least {n} characters',
    maxChars: 'must be at most {n} characters',
    minItems: 'needs at least {n} entries',
    maxItems: 'may have at most {n} entries',
    min: 'must be at least {n}',
    above: 'must be more than {n}',
    max: 'must be at most {n}',
    below: 'must be less than {n}',
    email: 'must be an e-mail address',
    url: 'must be a URL such as https://…',
    date: 'must be a date such as 2026-12-24 (YYYY-MM-DD)',
    format: 'is not in the expected form',
    oneOf: 'must be one of: {values}',
  },
  schemaMessages: {},
};

const catalogs: Record<PageLocale, AdminMessages> = { de, en };

/** The administration's copy for managing agents and site settings in a language. */
export function adminMessagesFor(locale: PageLocale): AdminMessages {
  return catalogs[locale];
}
