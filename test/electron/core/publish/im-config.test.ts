import { describe, expect, it } from 'vitest';
import { imConfig, imConfigYaml } from '../../../../electron/core/publish/im-config.ts';
import { DEFAULT_SETTINGS } from '../../../../shared/settings.ts';

const command = { program: '/opt/adconsole/bin/bcscmd', dataDir: '/var/lib/adconsole', passwordFile: null };

describe('the ejabberd.yml lines a data folder needs', () => {
  it('name the extauth program with the data folder and password file, the hosts and the API listener', () => {
    const yaml = imConfigYaml(
      imConfig(
        { ...DEFAULT_SETTINGS, imDomains: 'corp.example.com, chat.example.com', imApi: 'http://127.0.0.1:5399/adc' },
        { ...command, passwordFile: '/etc/adconsole/pw.txt' },
      ),
    );
    expect(yaml).toContain(
      'extauth_program: "/opt/adconsole/bin/bcscmd /EXTAUTH /DATA:/var/lib/adconsole ' +
        '/PASSWORDFILE:/etc/adconsole/pw.txt"',
    );
    expect(yaml).toContain('hosts:\n  - "corp.example.com"\n  - "chat.example.com"\n');
    expect(yaml).toContain('  - port: 5399\n    ip: "127.0.0.1"\n    module: ejabberd_http\n    tag: "adconsole"');
    expect(yaml).toContain('      /adc: mod_http_api');
    expect(yaml).toContain('    what: ["[tag:shared_roster_group]", "[tag:vcard]", send_stanza, unregister]');
    expect(yaml).toContain('  mod_roster:\n    versioning: false');
  });

  it('serve the API over TLS when imApi is https, and default to port 5285 without imApi', () => {
    const tls = imConfig({ ...DEFAULT_SETTINGS, imApi: 'https://im.corp.example.com:5443/api' }, command);
    expect(tls.listener).toEqual(expect.arrayContaining(['  - port: 5443', '    tls: true']));
    expect(imConfig(DEFAULT_SETTINGS, command).listener[0]).toBe('  - port: 5285');
  });
});
