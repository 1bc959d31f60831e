/** Advanced settings: the OU container path (parsed as you type, or picked with Browse…) and the connection options. */
import { Ak } from '../controls/Ak.tsx';
import { useId, useState } from 'react';
import { formatAdsPath, parseAdsPath } from '../../../shared/adspath.ts';
import { parseDatabaseSetting } from '../../../shared/database-setting.ts';
import { parseImApi } from '../../../shared/im-api.ts';
import { parseImDomains } from '../../../shared/im-domains.ts';
import type { TestReport } from '../../../shared/contract.ts';
import { api } from '../api.ts';
import { TestResultBox } from './TestResultBox.tsx';
import { parseServerList } from '../../../shared/server-list.ts';
import {
  DEFAULT_PORTS,
  NUMBER_RANGES,
  SECURITY_MODES,
  type Security,
  type Settings,
} from '../../../shared/settings.ts';
import { Dialog, OkCancel } from '../controls/Dialog.tsx';
import { focusField } from '../controls/focus-field.ts';
import { BrowseDialog } from './BrowseDialog.tsx';

type Advanced = Pick<
  Settings,
  | 'ouPath'
  | 'server'
  | 'security'
  | 'caFile'
  | 'importComputers'
  | 'parseMiddleName'
  | 'imDomains'
  | 'imApi'
  | 'imApiTokenFile'
  | 'companyName'
  | 'database'
  | 'databasePasswordFile'
> & {
  port: string;
  logonFailureCap: string;
  connectTimeout: string;
  timeout: string;
  pageSize: string;
};

const SECURITY_LABELS: Record<Security, string> = {
  ldaps: '&LDAPS (SSL/TLS, port 636)',
  starttls: 'St&artTLS (port 389)',
  none: '&None (not encrypted)',
};

function toForm(s: Settings): Advanced {
  return {
    ...s,
    port: s.port === null ? '' : String(s.port),
    connectTimeout: String(s.connectTimeout),
    timeout: String(s.timeout),
    pageSize: String(s.pageSize),
    logonFailureCap: String(s.logonFailureCap),
  };
}

/** Checks the form; returns the settings to apply or the errors per field. */
export function readAdvanced(
  form: Advanced,
): { settings: Partial<Settings> } | { errors: Partial<Record<keyof Advanced, string>> } {
  const errors: Partial<Record<keyof Advanced, string>> = {};
  const whole = (key: keyof typeof NUMBER_RANGES & keyof Advanced, label: string): number | null => {
    const { min, max } = NUMBER_RANGES[key];
    const text = form[key].trim();
    if (key === 'port' && text === '') return null;
    if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
      errors[key] = `${label} must be a whole number from ${min} to ${max}.`;
      return null;
    }
    return Number(text);
  };
  const port = whole('port', 'Port');
  const connectTimeout = whole('connectTimeout', 'Connect timeout');
  const timeout = whole('timeout', 'Operation timeout');
  const pageSize = whole('pageSize', 'Pa&ge size');
  const logonFailureCap = whole('logonFailureCap', 'Failed logons allowed');
  const domains = parseImDomains(form.imDomains);
  if (!domains.ok) errors.imDomains = domains.error;
  const imApi = parseImApi(form.imApi);
  if (!imApi.ok) errors.imApi = imApi.error;
  if (/[\u0000-\u001f]/.test(form.companyName)) errors.companyName = 'No line breaks or other control characters.';
  const database = parseDatabaseSetting(form.database);
  if (!database.ok) errors.database = database.error;
  const path = parseAdsPath(form.ouPath);
  if (!path.ok) errors.ouPath = path.error;
  const server = form.server.trim();
  if (server) {
    const servers = parseServerList(server);
    if (!servers.ok) errors.server = servers.error;
  }
  if (Object.keys(errors).length > 0) return { errors };
  return {
    settings: {
      ouPath: form.ouPath.trim(),
      server,
      port,
      security: form.security,
      caFile: form.caFile.trim(),
      connectTimeout: connectTimeout!,
      timeout: timeout!,
      pageSize: pageSize!,
      importComputers: form.importComputers,
      parseMiddleName: form.parseMiddleName,
      imDomains: form.imDomains.trim(),
      logonFailureCap: logonFailureCap!,
      imApi: form.imApi.trim(),
      imApiTokenFile: form.imApiTokenFile.trim(),
      companyName: form.companyName.trim(),
      database: form.database.trim(),
      databasePasswordFile: form.databasePasswordFile.trim(),
    },
  };
}

/** The fields that can be wrong, in the order the dialog shows them. */
const FIELD_ORDER: [keyof Advanced, string][] = [
  ['ouPath', 'OU container path'],
  ['server', 'Server'],
  ['port', 'Port'],
  ['connectTimeout', 'Connect timeout'],
  ['timeout', 'Operation timeout'],
  ['pageSize', 'Page size'],
  ['imDomains', 'IM domains'],
  ['logonFailureCap', 'Failed logons allowed'],
  ['imApi', 'ejabberd web API'],
  ['companyName', 'Company name'],
  ['database', 'Users database'],
];

/** A Test … button (disabled while it runs) with what it is about beside it. */
function TestRow(props: {
  state: TestReport | 'running' | null;
  label: string;
  busy: string;
  onTest: () => Promise<void>;
  children: React.ReactNode;
}) {
  return (
    <div className="row">
      <button type="button" disabled={props.state === 'running'} onClick={() => void props.onTest()}>
        {props.state === 'running' ? props.busy : <Ak text={props.label} />}
      </button>
      <p className="note grow">{props.children}</p>
    </div>
  );
}

function PathPreview({ text, server, id }: { text: string; server: string; id: string }) {
  const parsed = parseAdsPath(text);
  if (!parsed.ok) {
    return (
      <p id={id} className="path-preview error-text" role="alert">
        {parsed.error}
      </p>
    );
  }
  if (parsed.empty) {
    return (
      <p id={id} className="path-preview" aria-live="polite">
        No path: the whole domain (the server's default naming context) is used.
      </p>
    );
  }
  return (
    <p id={id} className="path-preview" aria-live="polite">
      Server:{' '}
      <b>
        {server.trim()
          ? `${server.trim()} (Server field${/[\s,;]/.test(server.trim()) ? ', tried in this order' : ''})`
          : (parsed.server ??
            (parsed.domain
              ? `domain controllers of ${parsed.domain} (found by DNS)`
              : 'none — fill in the Server field'))}
      </b>
      {parsed.port ? (
        <>
          {' '}
          · Port: <b>{parsed.port}</b>
        </>
      ) : null}
      {parsed.scheme === 'LDAPS' ? ' · LDAPS' : ''} · Container: <b className="dn">{parsed.dn}</b>
    </p>
  );
}

export function AdvancedDialog({
  settings,
  password,
  onApply,
  onCancel,
}: {
  settings: Settings;
  password: string;
  onApply: (changes: Partial<Settings>) => void;
  onCancel: () => void;
}) {
  const [form, setForm] = useState<Advanced>(() => toForm(settings));
  const [errors, setErrors] = useState<Partial<Record<keyof Advanced, string>>>({});
  const [summary, setSummary] = useState<string | null>(null);
  const [browsing, setBrowsing] = useState(false);
  const ids = {
    path: useId(),
    preview: useId(),
    server: useId(),
    port: useId(),
    ca: useId(),
    ct: useId(),
    to: useId(),
    ps: useId(),
    comp: useId(),
    mid: useId(),
    im: useId(),
    cap: useId(),
    imApi: useId(),
    token: useId(),
    company: useId(),
    database: useId(),
    databasePassword: useId(),
  };
  const set = <K extends keyof Advanced>(key: K, value: Advanced[K]) => setForm((f) => ({ ...f, [key]: value }));
  const fieldError = (key: keyof Advanced) =>
    errors[key] ? (
      <span className="field-error" role="alert">
        {errors[key]}
      </span>
    ) : null;
  /** A field in a grid: its label, the box, and its error (whole numbers: ranges from shared/settings.ts). */
  const field = (
    key:
      | 'connectTimeout'
      | 'timeout'
      | 'pageSize'
      | 'logonFailureCap'
      | 'server'
      | 'caFile'
      | 'imDomains'
      | 'imApi'
      | 'imApiTokenFile'
      | 'companyName'
      | 'database'
      | 'databasePasswordFile',
    id: string,
    label: string,
    { placeholder, numeric = false }: { placeholder?: string; numeric?: boolean } = {},
  ) => (
    <>
      <label htmlFor={id}>
        <Ak text={label} />
      </label>
      <div>
        <input
          id={id}
          className={numeric ? 'short' : undefined}
          value={form[key]}
          placeholder={placeholder}
          inputMode={numeric ? 'numeric' : undefined}
          spellCheck={numeric ? undefined : false}
          aria-invalid={errors[key] ? true : undefined}
          onChange={(e) => set(key, e.target.value)}
        />
        {fieldError(key)}
      </div>
    </>
  );

  const inputIds: Record<string, string> = {
    ouPath: ids.path,
    server: ids.server,
    port: ids.port,
    connectTimeout: ids.ct,
    timeout: ids.to,
    pageSize: ids.ps,
    imDomains: ids.im,
    logonFailureCap: ids.cap,
    imApi: ids.imApi,
    companyName: ids.company,
    database: ids.database,
  };
  const apply = () => {
    const read = readAdvanced(form);
    if ('errors' in read) {
      setErrors(read.errors);
      // As Windows does: say which field and why, and put the cursor there with its text selected.
      const [field, label] = FIELD_ORDER.find(([key]) => read.errors[key])!;
      setSummary(`${label}: ${read.errors[field]}`);
      focusField(inputIds[field]!);
    } else onApply(read.settings);
  };

  // Browse with what is typed now, including an unsaved server or security choice.
  const browseSettings = (): Settings => {
    const read = readAdvanced({ ...form, ouPath: parseAdsPath(form.ouPath).ok ? form.ouPath : '' });
    return { ...settings, ...('settings' in read ? read.settings : {}) };
  };
  const parsedPath = parseAdsPath(form.ouPath);
  /**
   * Test IM server and Check users database: with what is typed now (a wrong field is said first); the result in
   * a message box, as Test connection shows its own.
   */
  const [imTest, setImTest] = useState<TestReport | 'running' | null>(null);
  const [dbTest, setDbTest] = useState<TestReport | 'running' | null>(null);
  const runTest = async (op: 'im.test' | 'database.test', show: (report: TestReport | 'running') => void) => {
    const read = readAdvanced(form);
    if ('errors' in read) return apply(); // says which field is wrong, and where
    setErrors({});
    setSummary(null);
    show('running');
    const result = await api.invoke(op, { settings: { ...settings, ...read.settings } });
    show(
      result.ok
        ? result.value
        : { ok: false, steps: [], summary: `${result.error.message} ${result.error.hint ?? ''}`.trim() },
    );
  };
  const testIm = () => runTest('im.test', setImTest);
  const testDatabase = () => runTest('database.test', setDbTest);

  return (
    <Dialog
      title="Advanced settings"
      help="advanced"
      width={600}
      onCancel={onCancel}
      onSubmit={apply}
      buttons={<OkCancel onCancel={onCancel} />}
    >
      <fieldset>
        <legend>Container</legend>
        <label htmlFor={ids.path}>
          <Ak text="&OU container path" />
        </label>
        <div className="row">
          <input
            id={ids.path}
            data-autofocus
            className="grow"
            value={form.ouPath}
            placeholder="LDAP://OU=sales,OU=la,DC=domain,DC=com"
            aria-describedby={ids.preview}
            spellCheck={false}
            onChange={(e) => set('ouPath', e.target.value)}
          />
          <button type="button" onClick={() => setBrowsing(true)}>
            <Ak text="&Browse…" />
          </button>
        </div>
        <PathPreview text={form.ouPath} server={form.server} id={ids.preview} />
      </fieldset>
      <fieldset>
        <legend>Connection</legend>
        <div className="grid">
          {field('server', ids.server, '&Server', {
            placeholder: 'dc1, dc2 … (tried in order); blank = from the path, else DNS',
          })}
          <label htmlFor={ids.port}>
            <Ak text="&Port" />
          </label>
          <div>
            <input
              id={ids.port}
              className="short"
              value={form.port}
              inputMode="numeric"
              placeholder={String(DEFAULT_PORTS[form.security])}
              onChange={(e) => set('port', e.target.value)}
            />
            {fieldError('port')}
          </div>
        </div>
        <div className="grid">
          <span>Security</span>
          <div role="radiogroup" aria-label="Security" className="radios vertical">
            {SECURITY_MODES.map((mode) => (
              <label key={mode}>
                <input
                  type="radio"
                  name="security"
                  checked={form.security === mode}
                  onChange={() => set('security', mode)}
                />{' '}
                <Ak text={SECURITY_LABELS[mode]} />
              </label>
            ))}
          </div>
        </div>
        {form.security === 'none' && (
          <p className="warning-text">
            Without encryption the password crosses the network in clear text; most domain controllers refuse it.
          </p>
        )}
        {parsedPath.ok && parsedPath.scheme === 'LDAPS' && form.security !== 'ldaps' && (
          <p className="warning-text">The path starts with LDAPS://, so LDAPS is used.</p>
        )}
        <div className="grid">
          {field('caFile', ids.ca, '&CA certificate file', {
            placeholder: "PEM file, in addition to the system's trusted CAs",
          })}
          {field('connectTimeout', ids.ct, 'Connect &timeout (seconds)', { numeric: true })}
          {field('timeout', ids.to, 'Op&eration timeout (seconds)', { numeric: true })}
          {field('pageSize', ids.ps, 'Page size', { numeric: true })}
        </div>
      </fieldset>
      <fieldset>
        <legend>Import</legend>
        <label className="check">
          <input
            id={ids.comp}
            type="checkbox"
            checked={form.importComputers}
            onChange={(e) => set('importComputers', e.target.checked)}
          />{' '}
          <Ak text="&Import computer names instead of user accounts" />
        </label>
        <label className="check">
          <input
            id={ids.mid}
            type="checkbox"
            checked={form.parseMiddleName}
            onChange={(e) => set('parseMiddleName', e.target.checked)}
          />{' '}
          <Ak text="Parse user's &middle name from DisplayName value" />
        </label>
      </fieldset>
      <fieldset>
        <legend>IM server logons (bcscmd /EXTAUTH)</legend>
        <div className="grid">
          {field('imDomains', ids.im, 'IM &domains', {
            placeholder: "default: the domain's DNS name, e.g. corp.example.com",
          })}
          {field('logonFailureCap', ids.cap, '&Failed logons allowed per 30 min without a domain lockout policy', {
            numeric: true,
          })}
        </div>
        <p className="note">
          With a lockout policy the IM server stops checking an account&apos;s password two failures before the domain
          would lock it, until the domain&apos;s observation window has passed.
        </p>
      </fieldset>
      <fieldset>
        <legend>IM directory (contact lists and vCards on ejabberd)</legend>
        <div className="grid">
          {field('imApi', ids.imApi, 'ejabberd &web API', {
            placeholder: 'blank = not published; e.g. http://127.0.0.1:5285/api',
          })}
          {field('imApiTokenFile', ids.token, 'API to&ken file', {
            placeholder: 'optional: a file with an ejabberd OAuth token (https API on another machine)',
          })}
          {field('companyName', ids.company, 'Compan&y name', { placeholder: 'the organization in every vCard' })}
        </div>
        <TestRow state={imTest} label="Test IM ser&ver" busy="Testing…" onTest={testIm}>
          Every server OU becomes a contact list group with the OUs its Permissions… allow; each account gets a vCard
          with its photo. The first IM domain is the host they go to.
        </TestRow>
      </fieldset>
      {imTest && imTest !== 'running' && (
        <TestResultBox title="Test IM server" report={imTest} onClose={() => setImTest(null)} />
      )}
      <fieldset>
        <legend>Users database (several IM nodes share one on PostgreSQL)</legend>
        <div className="grid">
          {field('database', ids.database, '&Users database', {
            placeholder: 'blank = users.sqlite in the data folder; or postgresql://user@host:5432/dbname',
          })}
          {field('databasePasswordFile', ids.databasePassword, 'Its passwo&rd file', {
            placeholder: 'optional: a file with the PostgreSQL password (else PGPASSWORD or ~/.pgpass)',
          })}
        </div>
        <TestRow state={dbTest} label="C&heck users database" busy="Checking…" onTest={testDatabase}>
          Beyond this machine the connection is TLS with the server&apos;s certificate verified. bcscmd /COPYDATABASE
          moves an existing users.sqlite there.
        </TestRow>
      </fieldset>
      {dbTest && dbTest !== 'running' && (
        <TestResultBox title="Check users database" report={dbTest} onClose={() => setDbTest(null)} />
      )}
      {summary && Object.keys(errors).length > 0 && (
        <p role="alert" className="error-text">
          The settings were not applied. {summary}
        </p>
      )}
      {browsing && (
        <BrowseDialog
          settings={browseSettings()}
          password={password}
          startDn={parsedPath.ok && !parsedPath.empty ? parsedPath.dn : undefined}
          onCancel={() => setBrowsing(false)}
          onPick={(dn) => {
            setBrowsing(false);
            set(
              'ouPath',
              parsedPath.ok
                ? formatAdsPath(dn, parsedPath.server, parsedPath.port, parsedPath.scheme)
                : formatAdsPath(dn),
            );
          }}
        />
      )}
    </Dialog>
  );
}
