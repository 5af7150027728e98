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
};

/** The administration's copy for managing agents. */
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
};

const catalogs: Record<PageLocale, AdminMessages> = { de, en };

/** The administration's copy for managing agents in a language. */
export function adminMessagesFor(locale: PageLocale): AdminMessages {
  return catalogs[locale];
}
