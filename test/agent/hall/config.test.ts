import t from 'tap';
import { ConfigError, parseConfig } from '../../../agent/config/load.ts';
import { hallClipsDir, hallPageConfig } from '../../../agent/hall/config.ts';

t.test('hall config: defaults, page config, and every problem listed', async (t) => {
  const c = parseConfig({});
  t.same(c.hall, { enabled: false, port: 8080, bind: '0.0.0.0', brokerWsUrl: 'ws://{host}:9001', baseTopic: null, clipsDir: null, sound: true, recentCalls: 6 });
  t.equal(hallClipsDir(c), 'var/hall-clips');
  const page = hallPageConfig(parseConfig({ site: { id: '3273-coblong' }, mqtt: { url: 'mqtt://127.0.0.1:1883', baseTopic: 'dki/ektp' } }));
  t.equal(page.topicFilter, 'dki/ektp/3273-coblong/+/now_serving', 'follows the counters\' base topic');

  try {
    parseConfig({ hall: { enabled: 'yes', port: 70000, brokerWsUrl: 'mqtt://x:1883', baseTopic: 'a/#', colour: 'red' } });
    t.fail('should not parse');
  } catch (err) {
    t.ok(err instanceof ConfigError);
    const problems = (err as ConfigError).problems;
    t.ok(problems.includes('hall.enabled: must be boolean'), problems.join('\n'));
    t.ok(problems.includes('hall.port: must be <= 65535'));
    t.ok(problems.includes('hall: unknown key "colour"'));
    t.ok(problems.some((p) => p.startsWith('hall.brokerWsUrl:')));
  }
  try {
    parseConfig({ hall: { brokerWsUrl: 'ws://[bad', baseTopic: 'a/#' } });
    t.fail('should not parse');
  } catch (err) {
    t.same((err as ConfigError).problems, [
      'hall.brokerWsUrl: not a URL (expected e.g. ws://{host}:9001)',
      'hall.baseTopic: 1-4 levels of A-Z a-z 0-9 _ - separated by "/", no wildcards',
    ]);
  }
});
