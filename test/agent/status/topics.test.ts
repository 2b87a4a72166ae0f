import t from 'tap';
import { CounterTopics, TOPIC_NAMES, TOPIC_SPEC, fleetFilter, parseFleetTopic } from '../../../agent/status/topics.ts';

t.test('CounterTopics', async (t) => {
  t.test('puts base, site and device in front of every topic name', async (t) => {
    const topics = new CounterTopics('ektp/v1', 'jkt-timur', 'loket-01');
    t.equal(topics.topic('status'), 'ektp/v1/jkt-timur/loket-01/status');
    t.equal(topics.commandFilter, 'ektp/v1/jkt-timur/loket-01/cmd/+');
    t.equal(topics.commandName('ektp/v1/jkt-timur/loket-01/cmd/ping'), 'ping');
    t.equal(topics.commandName('ektp/v1/jkt-timur/loket-01/cmd/ping/x'), null);
    t.equal(topics.commandName('ektp/v1/jkt-timur/loket-02/cmd/ping'), null);
    t.equal(topics.commandResult('ping'), 'ektp/v1/jkt-timur/loket-01/cmd_result/ping');
    t.equal(topics.commandResult('pi ng#'), 'ektp/v1/jkt-timur/loket-01/cmd_result/_invalid');
  });

  t.test('refuses wildcards, separators and empty ids', async (t) => {
    t.throws(() => new CounterTopics('ektp/v1', 'jkt/timur', 'a'), TypeError);
    t.throws(() => new CounterTopics('ektp/v1', 'jkt', '+'), TypeError);
    t.throws(() => new CounterTopics('ektp/#', 'jkt', 'a'), TypeError);
    t.throws(() => new CounterTopics('ektp/v1', '', 'a'), TypeError);
  });

  t.test('retains everything but events, all at QoS 1', async (t) => {
    t.same(TOPIC_NAMES.filter((n) => !TOPIC_SPEC[n].retain), ['event']);
    t.ok(TOPIC_NAMES.every((n) => TOPIC_SPEC[n].qos === 1));
  });

  t.test('builds fleet filters and parses fleet topics back', async (t) => {
    t.equal(fleetFilter('ektp/v1', null, 'health'), 'ektp/v1/+/+/health');
    t.equal(fleetFilter('ektp/v1', 'bdg', 'event'), 'ektp/v1/bdg/+/event');
    t.same(parseFleetTopic('ektp/v1', 'ektp/v1/bdg/loket-3/metrics'), { site: 'bdg', device: 'loket-3', name: 'metrics' });
    t.equal(parseFleetTopic('ektp/v1', 'ektp/v1/bdg/loket-3/cmd_result/ping'), null);
    t.equal(parseFleetTopic('ektp/v1', 'ektp/v1/bdg/loket-3/constructor'), null);
    t.equal(parseFleetTopic('ektp/v1', 'other/bdg/loket-3/status'), null);
  });
});
