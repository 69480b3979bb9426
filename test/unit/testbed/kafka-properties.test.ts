// server.properties of test-bed Kafka nodes: one quorum, loopback listeners, replication fitted to the node count.
import { describe, expect, it } from 'vitest';
import { classSharingArgs } from '../../../testbed/kafka';
import { quorumVoters, randomClusterId, serverProperties } from '../../../testbed/kafka-properties';

const parse = (text: string) =>
  Object.fromEntries(text.trim().split('\n').map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]));

describe('serverProperties', () => {
  const three = [
    { broker: 9001, controller: 9101 },
    { broker: 9002, controller: 9102 },
    { broker: 9003, controller: 9103 },
  ];

  it('makes every node a broker and a voter of the same quorum', () => {
    expect(quorumVoters(three)).toBe('1@127.0.0.1:9101,2@127.0.0.1:9102,3@127.0.0.1:9103');
    const second = parse(serverProperties(three, 1, '/data/2'));
    expect(second['node.id']).toBe('2');
    expect(second['process.roles']).toBe('broker,controller');
    expect(second['controller.quorum.voters']).toBe(quorumVoters(three));
    expect(second.listeners).toBe('PLAINTEXT://127.0.0.1:9002,CONTROLLER://127.0.0.1:9102');
    expect(second['advertised.listeners']).toBe('PLAINTEXT://127.0.0.1:9002');
    expect(second['log.dirs']).toBe('/data/2');
    expect(second['offsets.topic.replication.factor']).toBe('3');
    expect(second['min.insync.replicas']).toBe('2');
  });

  it('fits a single node: replication 1, no auto-created topics, no rebalance delay', () => {
    const single = parse(serverProperties([{ broker: 9001, controller: 9101 }], 0, '/data'));
    expect(single['offsets.topic.replication.factor']).toBe('1');
    expect(single['transaction.state.log.min.isr']).toBe('1');
    expect(single['auto.create.topics.enable']).toBe('false');
    expect(single['group.initial.rebalance.delay.ms']).toBe('0');
  });

  it('rejects a node outside the cluster', () => {
    expect(() => serverProperties(three, 3, '/data')).toThrow(/outside a cluster of 3/);
  });

  it('makes 22-character base64url cluster ids that differ', () => {
    const a = randomClusterId();
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(randomClusterId()).not.toBe(a);
  });
});

describe('classSharingArgs', () => {
  it('maps an existing archive, dumps one when asked, and otherwise adds nothing', () => {
    expect(classSharingArgs('/c/k.jsa', true, '/c/k.jsa.1.tmp')[0]).toBe('-XX:SharedArchiveFile=/c/k.jsa');
    expect(classSharingArgs('/c/k.jsa', false, '/c/k.jsa.1.tmp')[0]).toBe('-XX:ArchiveClassesAtExit=/c/k.jsa.1.tmp');
    expect(classSharingArgs('/c/k.jsa', false)).toEqual([]);
  });
});
