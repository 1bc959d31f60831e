/**
 * The ejabberd.yml lines a data folder needs (bcscmd /IMCONFIG, the README's "Connecting ejabberd", and the
 * test servers, which are configured from the same lines): the extauth program, AD Console's own loopback API
 * listener with its api_permissions, and the modules the directory uses — mod_roster without versioning, which
 * would rehash whole rosters at every membership change (DESIGN §12).
 */
import type { Settings } from '../../../shared/settings.ts';
import { parseImApi } from '../../../shared/im-api.ts';
import { parseImDomains } from '../../../shared/im-domains.ts';

export const DEFAULT_API_PORT = 5285;

/** The commands AD Console calls, as api_permissions grants them. */
export const API_COMMANDS = ['[tag:shared_roster_group]', '[tag:vcard]', 'send_stanza', 'unregister'];

export interface ImConfig {
  hosts: string[];
  /** Top-level lines: auth_method, extauth_program, … */
  auth: string[];
  /** One item of `listen:` (its lines, indented for the list). */
  listener: string[];
  /** Lines under `acl:`. */
  acl: string[];
  /** Lines under `api_permissions:`. */
  apiPermissions: string[];
  /** Lines under `modules:`. */
  modules: string[];
}

export function imConfig(
  settings: Settings,
  command: { program: string; dataDir: string; passwordFile: string | null },
): ImConfig {
  const api = parseImApi(settings.imApi);
  const url = api.ok && api.url ? new URL(api.url) : new URL(`http://127.0.0.1:${DEFAULT_API_PORT}/api`);
  const domains = parseImDomains(settings.imDomains);
  const program = [
    command.program,
    '/EXTAUTH',
    `/DATA:${command.dataDir}`,
    ...(command.passwordFile ? [`/PASSWORDFILE:${command.passwordFile}`] : []),
  ].join(' ');
  return {
    hosts: domains.ok && domains.domains.length ? domains.domains : ['corp.example.com'],
    auth: [
      '# warning: at info, ejabberd logs every API call with its arguments (photos included)',
      'loglevel: warning',
      'auth_method: external',
      `extauth_program: ${JSON.stringify(program)}`,
      'extauth_pool_size: 4',
      'auth_use_cache: false',
    ],
    listener: [
      `  - port: ${url.port || (url.protocol === 'https:' ? 443 : 80)}`,
      `    ip: ${JSON.stringify(url.hostname.replace(/^\[|\]$/g, ''))}`,
      '    module: ejabberd_http',
      ...(url.protocol === 'https:' ? ['    tls: true'] : []),
      '    tag: "adconsole"',
      '    request_handlers:',
      `      ${url.pathname}: mod_http_api`,
    ],
    acl: ['  adconsole_host:', '    ip: ["127.0.0.0/8", "::1/128"]'],
    apiPermissions: [
      '  "AD Console directory":',
      '    from:',
      '      - tag: "adconsole"',
      '    who:',
      '      acl: adconsole_host',
      `    what: [${API_COMMANDS.map((c) => (c.startsWith('[') ? JSON.stringify(c) : c)).join(', ')}]`,
    ],
    modules: [
      '  mod_admin_extra: {}',
      '  mod_http_api: {}',
      '  mod_roster:',
      '    versioning: false',
      '  mod_shared_roster: {}',
      '  mod_vcard:',
      '    search: false',
      '  mod_vcard_xupdate: {}',
      '  mod_avatar: {}',
      '  mod_pubsub:',
      '    plugins: ["flat", "pep"]',
      '  mod_caps: {}',
    ],
  };
}

/** The lines to paste into ejabberd.yml (merged into its sections of the same names). */
export function imConfigYaml(config: ImConfig): string {
  return [
    '# AD Console: merge these into ejabberd.yml (sections of the same name go together).',
    'hosts:',
    ...config.hosts.map((h) => `  - ${JSON.stringify(h)}`),
    ...config.auth,
    'listen:',
    "  # … your client listeners, then AD Console's API listener (this machine only):",
    ...config.listener,
    'acl:',
    ...config.acl,
    'api_permissions:',
    ...config.apiPermissions,
    'modules:',
    ...config.modules,
    '',
  ].join('\n');
}
