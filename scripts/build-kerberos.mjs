/**
 * postinstall: the optional `kerberos` package, fixed and rebuilt for "Current account".
 * kerberos@7's native wrap() tests `if (user)` on a C string that Node always passes (empty when no user
 * is given), so every wrap() answers "no SASL security layer" and rewrites the message's first bytes:
 * no layer can be chosen and no LDAP message can be sealed. One condition fixes it (`user && *user`);
 * the package is then rebuilt from source. Anything missing is reported, never fatal: Kerberos is optional.
 * Plain JavaScript: it runs during npm install, possibly before the project's own Node 24 is in place.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const dir = path.resolve('node_modules/kerberos');
const source = path.join(dir, 'src/unix/kerberos_gss.cc');
const marker = path.join(dir, 'build/Release/.adconsole-wrap-fix');
const BROKEN = '    if (user) {\n        // get bufsize';
const FIXED = '    if (user && *user) {\n        // get bufsize';
const say = (line) => console.log(`[kerberos] ${line}`);

if (process.platform === 'win32') {
  say('Windows uses SSPI through kerberos_sspi; nothing to fix.');
} else if (!fs.existsSync(source)) {
  say('the optional kerberos package is not installed: "Current account" will say it is unavailable.');
} else {
  const text = fs.readFileSync(source, 'utf8');
  if (text.includes(BROKEN)) fs.writeFileSync(source, text.replace(BROKEN, FIXED));
  else if (!text.includes(FIXED))
    say(
      'this kerberos version has different sources; its wrap() is used as it is (check "Current account" with ' +
        'Test connection).',
    );
  if (fs.readFileSync(source, 'utf8').includes(FIXED) && !fs.existsSync(marker)) {
    const nodeGyp = process.env.npm_config_node_gyp;
    const run = nodeGyp
      ? spawnSync(process.execPath, [nodeGyp, 'rebuild'], { cwd: dir, stdio: 'inherit' })
      : spawnSync('node-gyp', ['rebuild'], { cwd: dir, stdio: 'inherit', shell: process.platform === 'win32' });
    if (run.status === 0) {
      fs.writeFileSync(marker, 'wrap() fixed: if (user && *user)\n');
      say('rebuilt with the wrap() fix.');
    } else
      say(
        `the rebuild failed (exit ${run.status}); "Current account" binds need Kerberos development files ` +
          `(libkrb5-dev), python3, make and g++.`,
      );
  }
}
