/**
 * The console's help, one topic per window and dialog, served with the console (no network, no browser
 * window). F1 opens the topic of the dialog in front (the dialog's `help`), Help → Contents the list.
 */
export const HELP_TOPICS = [
  {
    id: 'contents',
    title: 'Contents',
    paragraphs: [
      'AD Console keeps the communication server’s users database in step with Active Directory over LDAP: it ' +
        'imports accounts, keeps them in sync on a schedule, and imports a colleague the moment they first log on.',
      'Choose a topic on the left. In any dialog, F1 opens the topic about that dialog. Every switch of the ' +
        'command-line tool (bcscmd) is listed by bcscmd /?.',
    ],
  },
  {
    id: 'users',
    title: 'The users window',
    paragraphs: [
      'The left pane is the server’s OU tree with the number of accounts in each OU; the table lists the accounts ' +
        'of the selected OU (with its sub-OUs when Include sub-OUs is ticked); the pane below shows the selected ' +
        'account. Drag the splitters between the panes and the edges of the column headings to resize them; the ' +
        'console remembers the column widths.',
      'Right-click an account (or press Shift+F10) for Properties, New account…, Set password…, Disable / Enable, ' +
        'Move to OU… and Delete…. Ctrl+click and Shift+click select several accounts; the actions then apply to all ' +
        'of them. Accounts from Active Directory are changed in Active Directory (the next sync brings the change ' +
        'in), so these actions are unavailable for them.',
      'Delete deletes the selected local accounts (after a question), Alt+Enter opens Properties. Right-click ' +
        'an OU for New OU…, Rename… (F2) and Delete… (Delete key; empty OUs only; _Default stays). F5 reads the view ' +
        'again; Ctrl+F finds accounts by logon, name, e-mail, department, OU, origin and whether they are enabled; ' +
        'Export List… saves every account of the view (not only the visible rows) as CSV; Add/Remove Columns… ' +
        'shows title, phone, last logon, last sync and the distinguished name.',
    ],
  },
  {
    id: 'keys',
    title: 'Keyboard',
    paragraphs: [
      'Alt+letter: the control whose letter is underlined, in the dialog in front or the main window; Alt+F, ' +
        'Alt+T, Alt+H open the menus, where the letter alone chooses. Alt alone focuses the menu bar. Tab moves ' +
        'between controls; Enter presses the default button; Esc cancels; F1 opens help.',
      'In the users window: F5 reads again, Ctrl+F finds, Shift+F10 or the context-menu key opens the menu of ' +
        'the account or OU in focus, Enter or Alt+Enter opens Properties, Delete deletes (after a question), F2 ' +
        'renames an OU. In lists: arrows, Page Up/Down, Home/End; Shift extends the selection, Ctrl+Space ' +
        'toggles a row, Ctrl+A selects all, typing a name’s first letters jumps to it, Ctrl+Plus fits the ' +
        'columns. In trees: Right opens, Left closes, Space ticks.',
    ],
  },
  {
    id: 'integration',
    title: 'Active Directory (LDAP) integration',
    paragraphs: [
      'Tick the first box to import an account from Active Directory when someone who is not in the users ' +
        'database logs on. Credentials: Current account binds as the identity the console runs under (Kerberos); ' +
        'Specified account binds with a login ID (DOMAIN\\user, user@domain or a DN) and its password, which is ' +
        'stored encrypted and never shown again.',
      'Test connection checks, in order, the name lookup, the TCP connection, TLS and its certificate, the bind, ' +
        'a search and the password policies (the domain’s and the fine-grained ones the service account can or ' +
        'cannot read), and says which step failed, why, and what to do. Advanced settings… holds the servers, the ' +
        'connection security, the containers and the attributes.',
      'A password a domain controller refused is never sent again by any part of AD Console until it changes, so ' +
        'that the service account is not locked out; OK asks before saving one Test connection saw refused, and ' +
        'Test connection sends it once more when you ask it to.',
    ],
  },
  {
    id: 'advanced',
    title: 'Advanced settings',
    paragraphs: [
      'Servers: one or more domain controllers by DNS name or address, tried in order (or found through DNS SRV ' +
        'records). Connection security: LDAPS or StartTLS verify the certificate; plain LDAP never carries user ' +
        'passwords.',
      'The containers (Browse… picks them from the directory) decide where accounts are read from and where they ' +
        'are placed on the server. The safety limits stop a sync that would disable more accounts than they allow.',
      'IM directory: with the address of ejabberd’s web API (its mod_http_api listener; bcscmd /IMCONFIG prints ' +
        'the ejabberd.yml lines), every server OU becomes a group in the users’ contact lists, showing the OUs its ' +
        'Permissions… allow, and every account gets a vCard (name, e-mail, company, department, title, phone and ' +
        'its AD photo). Each change is published right after it is made; the status bar says how publishing goes. ' +
        'Test IM server checks that the API answers, serves the first IM domain and allows every command needed.',
    ],
  },
  {
    id: 'browse',
    title: 'Browse for container',
    paragraphs: [
      'The directory’s tree, read from the domain controller as you open it. Arrow keys move and open branches; ' +
        'typing a name’s first letters jumps to it; Enter or OK takes the selected container.',
    ],
  },
  {
    id: 'import-wizard',
    title: 'Active Directory Import Wizard',
    paragraphs: [
      'The wizard asks what to import (OUs, levels of the tree or the members of a group), how (new accounts only, ' +
        'add, or sync with updates and disables) and where the accounts go on the server. Alt+B and Alt+N move ' +
        'between its pages.',
      'The Preview is a dry run: nothing is written. Sort it by any column; the accounts a sync would disable come ' +
        'first; untick rows to leave them out. Next applies exactly the previewed plan in one transaction: Cancel, ' +
        'or a crash, leaves the users database as it was, and the history records what happened.',
    ],
  },
  {
    id: 'schedule',
    title: 'Synchronization schedule',
    paragraphs: [
      'The scheduled sync service (bcscmd /SERVICE, installed with bcscmd /INSTALLSERVICE) syncs every so many ' +
        'minutes and makes a full pass once a day. It imports what the Import Wizard last imported.',
      'A failure is retried with growing pauses; a sync over the safety limit waits for you to confirm it; a ' +
        'change of the settings pauses the schedule until you preview or resume it. Run now syncs at once.',
    ],
  },
  {
    id: 'account',
    title: 'Accounts',
    paragraphs: [
      'Properties shows every field of an account, where it came from (its distinguished name and GUID in Active ' +
        'Directory), when it was last synced and last logged on, and what every run did to it.',
      'Local accounts are created and managed here: New account… (into the OU selected in the tree), Set ' +
        'password… (8 to 1 024 characters), Disable / Enable, Move to OU… (pick the OU in the tree), Delete…, and ' +
        'in Properties their names, e-mail, department, title, phone, server OU and logon name (OK, Cancel, ' +
        'Apply). AD sync never touches them. An account from Active Directory is changed in Active Directory.',
      'A disabled account is shown greyed, and says why: disabled in Active Directory, disabled by a sync ' +
        'because it is no longer in the import source, or disabled by an administrator.',
    ],
  },
  {
    id: 'find',
    title: 'Find accounts',
    paragraphs: [
      'Find narrows the users view to the accounts that match every field you fill in: logon name, name, e-mail, ' +
        'department, OU, origin (Active Directory or local) and whether they are enabled. Text matches anywhere in ' +
        'the field, ignoring case and accents ("aberg" finds Åberg). Clear all resets the view.',
    ],
  },
  {
    id: 'columns',
    title: 'Add/Remove Columns',
    paragraphs: ['Tick the columns the accounts table shows. The logon name always stays. The choice is remembered.'],
  },
] as const;

export type HelpTopicId = (typeof HELP_TOPICS)[number]['id'];

/** The topic a dialog names, or the main window's when it names none (or an unknown one). */
export function helpTopicOf(id: string | null | undefined): HelpTopicId {
  return HELP_TOPICS.find((t) => t.id === id)?.id ?? 'users';
}
