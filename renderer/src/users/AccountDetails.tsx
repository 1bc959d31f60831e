/** The selected account's details; for accounts imported from AD also where they came from. */
import { PERSON_FIELDS } from '../../../shared/account-fields.ts';
import { type AccountRecord, DISABLED_WORDS } from '../../../shared/users-view.ts';
import { localTime } from '../controls/local-time.ts';
import { AccountPhoto } from './AccountPhoto.tsx';

/** Every field of an account with its label, as the details pane and Properties show them. */
export function accountFields(account: AccountRecord): [string, string][] {
  const fields: [string, string][] = [
    // Every person field, by the one field table.
    ...PERSON_FIELDS.map((f): [string, string] => [f.label, account[f.key]]),
    ['Enabled', account.enabled ? 'Yes' : account.disabledBy ? `No (${DISABLED_WORDS[account.disabledBy]})` : 'No'],
    ['Kind', account.kind === 'user' ? 'User' : 'Computer'],
    ['Origin', account.origin === 'ad' ? 'Active Directory' : 'Local (never touched by AD sync)'],
    ['Server OU', account.ou],
  ];
  if (account.origin === 'ad')
    fields.push(
      ['Distinguished name', account.adDn ?? ''],
      ['objectGUID', account.adGuid ?? ''],
      ['Last sync', localTime(account.syncedAt) || 'never'],
    );
  else fields.push(['IM password', account.hasPassword ? 'Set' : 'Not set (the account cannot log on yet)']);
  fields.push(
    ['Last logon', localTime(account.lastLogonAt) || 'never (through the IM server)'],
    ['Created', localTime(account.createdAt)],
    ['Changed', localTime(account.updatedAt)],
  );
  return fields;
}

export function AccountDetails({ account }: { account: AccountRecord | null }) {
  if (!account)
    return (
      <section className="details" aria-label="Account details">
        <p className="note">Select an account to see its details.</p>
      </section>
    );
  const fields = accountFields(account);
  return (
    <section className="details" aria-label="Account details">
      <AccountPhoto account={account} />
      <dl>
        {fields.map(([name, value]) => (
          <div key={name} className="detail">
            <dt>{name}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
