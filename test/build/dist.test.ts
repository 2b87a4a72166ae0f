import t from 'tap';
import { initLedgerFiles } from '../../agent/ledger/open.ts';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

const ROOT = join(import.meta.dirname, '../..');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

// What the appliance runs: tsconfig.build.json's JavaScript under plain node (no tsx).
t.test('the compiled agent', async (t) => {
  const out = t.testdir();
  const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', out], {
    encoding: 'utf8',
  });
  t.equal(tsc.status, 0, `${tsc.stdout}${tsc.stderr}`);
  const files = filesUnder(out);

  t.test('holds the product only, with source maps and no TypeScript specifier left', async (t) => {
    const top = [...new Set(files.map((f) => f.slice(out.length + 1).split('/')[0]))].sort();
    t.same(top, ['agent', 'drivers', 'matcher']);
    const js = files.filter((f) => f.endsWith('.js'));
    t.ok(js.length > 100);
    t.same(js.filter((f) => !files.includes(`${f}.map`)), [], 'every .js has its .map');
    const offenders = js.filter((f) => /from ['"][^'"]+\.ts['"]|import\(['"][^'"]+\.ts['"]\)|from ['"]tsx|test\/harness/.test(readFileSync(f, 'utf8')));
    t.same(offenders, [], 'no .ts import, no static tsx import, no harness');
  });

  t.test('starts with plain node on the simulated counter, is ready, and stops cleanly on SIGTERM', async (t) => {
    const dir = t.testdir();
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ dataDir: join(dir, 'data') }));
    // The box's first run (install runs `ektp-agent init`): the agent never creates a ledger.
    initLedgerFiles({ dataDir: join(dir, 'data'), keyFile: join(dir, 'data', 'ledger.key') });
    const child = spawn(process.execPath, [join(out, 'agent/main.js'), '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const messages: string[] = [];
    for await (const line of createInterface({ input: child.stdout })) {
      messages.push((JSON.parse(line) as { msg: string }).msg);
      if (messages.at(-1) === 'counter ready') break;
    }
    t.ok(messages.includes('matcher worker started'), 'the matcher worker runs from worker.js');
    t.equal(messages.at(-1), 'counter ready');
    child.kill('SIGTERM');
    t.equal(await exited, 0);
  });

  t.test('serves the hall display from the compiled code: page, script bundled from dist/, mqtt.js', async (t) => {
    const { HallServer } = (await import(pathToFileURL(join(out, 'agent/hall/server.js')).href)) as typeof import('../../agent/hall/server.ts');
    const page = { office: 'KANTOR', region: 'KOTA', siteId: 's', timezone: 'Asia/Jakarta', brokerWsUrl: 'ws://{host}:9001', topicFilter: 'ektp/v1/s/+/now_serving', sound: false, recentCalls: 6 };
    const server = new HallServer({ page, clipsDir: t.testdir(), port: 0, bind: '127.0.0.1', logger: { info: () => {} } as never });
    const { url } = await server.start();
    t.teardown(() => server.close());
    const get = async (p: string) => {
      const r = await fetch(url + p);
      return { status: r.status, text: await r.text() };
    };
    t.match(await get(''), { status: 200, text: /<title>Antrean Pengambilan KTP-el<\/title>/ });
    t.match(await get('hall.css'), { status: 200, text: /\.tile \.number/ });
    const js = await get('hall.js');
    t.equal(js.status, 200);
    t.match(js.text, /from "\/vendor\/mqtt\.esm\.js"/, 'mqtt.js from the box');
    t.match(js.text, /nomor-antrean/, 'spoken-call words bundled in');
    t.equal((await get('vendor/mqtt.esm.js')).status, 200);
  });
});
