import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  checkCompose,
  checkDockerfile,
  environmentOf,
  isPinned,
  loadCompose,
  parseDockerfile,
  type ComposeFile,
  type ComposeService,
} from './compose-checks';

const root = path.resolve(__dirname, '../..');
const dockerDir = path.join(root, 'docker');
const composeFiles = ['compose.yml', 'compose.cluster.yml'].map((file) => loadCompose(path.join(dockerDir, file)));
const [single, cluster] = composeFiles as [ComposeFile, ComposeFile];

const servicesBuilding = (compose: ComposeFile, target: string): [string, ComposeService][] =>
  Object.entries(compose.services).filter(([, service]) => typeof service.build === 'object' && service.build.target === target);

describe('the Dockerfile', () => {
  const dockerfile = path.join(dockerDir, 'Dockerfile');
  const stages = parseDockerfile(readFileSync(dockerfile, 'utf8'));
  const stage = (name: string) => stages.find((candidate) => candidate.name === name);

  it('copies only what exists in the build context and is not excluded, from pinned images', () => {
    expect(checkDockerfile(dockerfile, root)).toEqual([]);
  });

  it('builds api, projector and migrator images that run as the unprivileged node user', () => {
    for (const target of ['api', 'projector', 'migrator']) expect(stage(target)?.user).toBe('node');
  });

  it('gives the long-running images a HEALTHCHECK, the API on /health/ready', () => {
    expect(stage('api')?.healthcheck).toBe(true);
    expect(stage('projector')?.healthcheck).toBe(true);
    expect(readFileSync(dockerfile, 'utf8')).toMatch(/HEALTHCHECK[^\n]*\\?\n?\s*CMD \["node", "docker\/healthcheck\.cjs", "http:\/\/127\.0\.0\.1:3000\/health\/ready"\]/);
  });

  it('installs production dependencies without dev or optional packages in the runtime image', () => {
    expect(readFileSync(dockerfile, 'utf8')).toContain('npm ci --omit=dev --omit=optional');
  });
});

describe.each(composeFiles.map((compose) => [path.basename(compose.path), compose] as const))('%s', (_name, compose) => {
  it('has pinned images, existing build targets, defined dependencies, health checks and no root process', () => {
    expect(checkCompose(compose)).toEqual([]);
  });

  it('starts the API and the projector only after migrations completed and both stores are healthy', () => {
    for (const [name, service] of [...servicesBuilding(compose, 'api'), ...servicesBuilding(compose, 'projector')]) {
      const dependsOn = service.depends_on as Record<string, { condition?: string }>;
      expect({ name, migrate: dependsOn['migrate']?.condition }).toEqual({ name, migrate: 'service_completed_successfully' });
      expect({ name, postgres: dependsOn['postgres']?.condition }).toEqual({ name, postgres: 'service_healthy' });
      const eventStores = Object.entries(dependsOn).filter(([dependency]) => compose.services[dependency]?.image?.startsWith('eventstore/'));
      expect(eventStores.length).toBeGreaterThan(0);
      for (const [, spec] of eventStores) expect(spec.condition).toBe('service_healthy');
    }
  });

  it('points every app at EventStoreDB and PostgreSQL services that the file defines', () => {
    for (const [name, service] of [...servicesBuilding(compose, 'api'), ...servicesBuilding(compose, 'projector'), ...servicesBuilding(compose, 'migrator')]) {
      const environment = environmentOf(service);
      expect({ name, store: environment['EVENT_STORE'] }).toEqual({ name, store: 'eventstoredb' });
      const hosts = /^esdb:\/\/([^?]+)\?/.exec(environment['EVENTSTORE_CONNECTION_STRING'] ?? '')?.[1]?.split(',') ?? [];
      expect(hosts.length).toBeGreaterThan(0);
      for (const host of hosts) expect(Object.keys(compose.services)).toContain(host.split(':')[0]);
      const databaseHost = /@([^:/]+)[:/]/.exec(environment['DATABASE_URL'] ?? '')?.[1];
      expect(Object.keys(compose.services)).toContain(databaseHost);
    }
  });

  it('takes the tokens and the database password from the environment, with no default value', () => {
    const fromEnvironmentOnly = (name: string) => new RegExp(`^\\$\\{${name}(?::-|:\\?[^}]*)?\\}$`);
    for (const [name, service] of servicesBuilding(compose, 'api')) {
      expect({ name, tokens: environmentOf(service)['NEWSROOM_TOKENS'] }).toEqual({ name, tokens: expect.stringMatching(fromEnvironmentOnly('NEWSROOM_TOKENS')) as unknown });
    }
    expect(environmentOf(compose.services['postgres'] ?? {})['POSTGRES_PASSWORD']).toMatch(fromEnvironmentOnly('POSTGRES_PASSWORD'));
    const passwords = [...readFileSync(compose.path, 'utf8').matchAll(/\$\{POSTGRES_PASSWORD([^}]*)\}/g)].map((match) => match[1]);
    expect(passwords.length).toBeGreaterThan(1);
    for (const suffix of passwords) expect(['', ':-']).toContain(suffix);
  });
});

describe('the single-node topology', () => {
  it('runs one EventStoreDB node and one API and projector', () => {
    expect(environmentOf(single.services['eventstoredb'] ?? {})['EVENTSTORE_CLUSTER_SIZE']).toBe('1');
    expect(servicesBuilding(single, 'api')).toHaveLength(1);
    expect(servicesBuilding(single, 'projector')).toHaveLength(1);
  });
});

describe('the cluster topology', () => {
  const nodes = Object.entries(cluster.services).filter(([, service]) => service.image?.startsWith('eventstore/'));

  it('runs a 3-node EventStoreDB cluster whose nodes seed gossip from each other', () => {
    expect(nodes).toHaveLength(3);
    const addresses = nodes.map(([, service]) => environmentOf(service)['EVENTSTORE_REPLICATION_IP']);
    for (const [name, service] of nodes) {
      const environment = environmentOf(service);
      expect({ name, size: environment['EVENTSTORE_CLUSTER_SIZE'] }).toEqual({ name, size: '3' });
      const seeds = (environment['EVENTSTORE_GOSSIP_SEED'] ?? '').split(',').map((seed) => seed.split(':')[0]);
      expect(seeds.sort()).toEqual(addresses.filter((address) => address !== environment['EVENTSTORE_REPLICATION_IP']).sort());
    }
  });

  it('puts two API replicas behind the proxy, whose upstreams are exactly those services', () => {
    const apis = servicesBuilding(cluster, 'api').map(([name]) => name);
    expect(apis).toHaveLength(2);
    const nginx = readFileSync(path.join(dockerDir, 'cluster', 'nginx.conf'), 'utf8');
    const upstreams = [...nginx.matchAll(/^\s*server\s+([\w-]+):3000\b/gm)].map((match) => match[1]);
    expect(upstreams.sort()).toEqual(apis.sort());
  });

  it('runs two projector replicas: one active, one hot standby behind the advisory lock', () => {
    const projectors = servicesBuilding(cluster, 'projector');
    const replicas = projectors.reduce((total, [, service]) => total + (service.deploy?.replicas ?? 1), 0);
    expect(replicas).toBe(2);
  });
});

describe('the checks themselves', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'compose-checks-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('tell a pinned image from an unpinned one', () => {
    expect(isPinned('postgres:17.6-bookworm')).toBe(true);
    expect(isPinned('registry:5000/team/app@sha256:abc')).toBe(true);
    expect(isPinned('postgres')).toBe(false);
    expect(isPinned('postgres:latest')).toBe(false);
    expect(isPinned('registry:5000/team/app')).toBe(false);
  });

  it('catch an undefined dependency, a missing target, a root process, a missing healthcheck and a missing mount', () => {
    writeFileSync(path.join(scratch, 'Dockerfile'), 'FROM node AS app\nCOPY missing.txt ./\n');
    writeFileSync(
      path.join(scratch, 'compose.yml'),
      [
        'services:',
        '  app:',
        '    build: { context: ., target: app }',
        '    depends_on: { db: { condition: service_healthy }, init: { condition: service_completed_successfully } }',
        '  worker:',
        '    build: { context: ., target: nope }',
        '  init:',
        '    image: busybox',
        '  proxy:',
        '    image: nginx:1.27',
        '    user: root',
        '    volumes: ["./absent.conf:/etc/nginx/nginx.conf:ro"]',
      ].join('\n'),
    );

    const problems = checkCompose(loadCompose(path.join(scratch, 'compose.yml')));

    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('service app: depends on undefined service "db"'),
        expect.stringContaining('service app: waits for "init" to complete, but it is not a one-shot service'),
        expect.stringContaining('service app: runs as root'),
        expect.stringContaining('service app: long-running but has no healthcheck'),
        expect.stringContaining('service worker: target "nope" is not a stage'),
        expect.stringContaining('service init: image "busybox" is not pinned'),
        expect.stringContaining('service init: image busybox is not known to drop root'),
        expect.stringContaining('service proxy: runs as root'),
        expect.stringContaining('service proxy: bind-mounted ./absent.conf does not exist'),
      ]) as unknown,
    );
    expect(checkDockerfile(path.join(scratch, 'Dockerfile'), scratch)).toEqual([
      expect.stringContaining('unpinned image "node"') as unknown,
      expect.stringContaining('COPY source "missing.txt" does not exist') as unknown,
    ]);
  });

  it('catch a COPY source that .dockerignore excludes, and follow USER and HEALTHCHECK through stages', () => {
    writeFileSync(path.join(scratch, 'present.txt'), 'x');
    writeFileSync(path.join(scratch, '.dockerignore'), 'present.txt\n');
    writeFileSync(
      path.join(scratch, 'Dockerfile'),
      'ARG BASE=node:20.19-slim\nFROM ${BASE} AS base\nUSER node\nHEALTHCHECK CMD true\nFROM base AS app\nCOPY --chown=node present.txt \\\n  ./\n',
    );

    expect(checkDockerfile(path.join(scratch, 'Dockerfile'), scratch)).toEqual([
      expect.stringContaining('"present.txt" is excluded by .dockerignore') as unknown,
    ]);
    expect(parseDockerfile(readFileSync(path.join(scratch, 'Dockerfile'), 'utf8'))).toEqual([
      { name: 'base', from: 'node:20.19-slim', user: 'node', healthcheck: true, copySources: [] },
      { name: 'app', from: 'base', user: 'node', healthcheck: true, copySources: ['present.txt'] },
    ]);
  });
});
