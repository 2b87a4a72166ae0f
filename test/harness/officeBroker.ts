import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMosquitto, type Mosquitto } from '../helpers/mosquitto.ts';

/** The office broker's ACL exactly as docs/appliance.md gives it to the installer. */
export function documentedOfficeAcl(): string {
  const doc = readFileSync(new URL('../../docs/appliance.md', import.meta.url), 'utf8');
  const m = /<!-- office-acl:begin -->\n```\n([\s\S]*?)```\n<!-- office-acl:end -->/.exec(doc);
  if (!m) throw new Error('docs/appliance.md has no office-acl block');
  return m[1];
}

/**
 * A real mosquitto as docs/appliance.md secures the office broker: TLS (the helper's test CA,
 * which also wants a client certificate), no anonymous clients, one user per box in a
 * mosquitto_passwd file, and the documented ACL. Without per_listener_settings these are global,
 * so the plain listener asks for the same users (for probes from the test).
 */
export async function startOfficeBroker(users: Readonly<Record<string, string>>): Promise<Mosquitto> {
  const dir = mkdtempSync(join(tmpdir(), 'ektp-office-broker-'));
  const passwd = join(dir, 'office.passwd');
  const acl = join(dir, 'office.acl');
  writeFileSync(passwd, '');
  for (const [user, password] of Object.entries(users)) execFileSync('mosquitto_passwd', ['-b', passwd, user, password], { stdio: 'pipe' });
  writeFileSync(acl, documentedOfficeAcl());
  try {
    const broker = await startMosquitto({ tls: true, extra: ['allow_anonymous false', `password_file ${passwd}`, `acl_file ${acl}`] });
    return {
      ...broker,
      async stop() {
        await broker.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
