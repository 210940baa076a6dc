import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/**
 * What `docker compose config` and `docker build` would catch, checked without Docker (CI has
 * none): each function returns the problems it finds, as sentences, so a spec can show both that
 * the repository's files have none and that a broken file is caught.
 */

export interface DockerfileStage {
  readonly name: string | undefined;
  /** The image or earlier stage it starts from, ARG defaults substituted. */
  readonly from: string;
  readonly user: string | undefined;
  readonly healthcheck: boolean;
  /** Build-context sources of COPY/ADD without --from. */
  readonly copySources: readonly string[];
}

export interface ComposeService {
  readonly image?: string;
  readonly build?: { readonly context?: string; readonly dockerfile?: string; readonly target?: string } | string;
  readonly user?: string | number;
  readonly depends_on?: readonly string[] | Readonly<Record<string, { readonly condition?: string }>>;
  readonly healthcheck?: { readonly test?: unknown; readonly disable?: boolean };
  readonly restart?: string;
  readonly environment?: Readonly<Record<string, string | number | boolean | null>> | readonly string[];
  readonly volumes?: readonly (string | { readonly type?: string; readonly source?: string })[];
  readonly deploy?: { readonly replicas?: number };
}

export interface ComposeFile {
  readonly path: string;
  readonly services: Readonly<Record<string, ComposeService>>;
}

export function loadCompose(file: string): ComposeFile {
  const document = parse(readFileSync(file, 'utf8'), { merge: true }) as { services?: Record<string, ComposeService> };
  return { path: file, services: document.services ?? {} };
}

/** Stages of a Dockerfile, following `\` continuations and substituting ARG defaults in FROM. */
export function parseDockerfile(text: string): DockerfileStage[] {
  const lines = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const args = new Map<string, string>();
  const stages: { name: string | undefined; from: string; user: string | undefined; healthcheck: boolean; copySources: string[] }[] = [];
  for (const line of lines) {
    const [instruction = '', ...rest] = line.split(/\s+/);
    const operands = rest.join(' ');
    const current = stages[stages.length - 1];
    switch (instruction.toUpperCase()) {
      case 'ARG': {
        const [name, value] = operands.split('=');
        if (name && value !== undefined && !current) args.set(name, value);
        break;
      }
      case 'FROM': {
        const match = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(operands);
        if (!match?.[1]) throw new Error(`Unreadable FROM: ${line}`);
        const from = match[1].replace(/\$\{(\w+)\}|\$(\w+)/g, (_, braced: string | undefined, bare: string | undefined) => args.get(braced ?? bare ?? '') ?? '');
        const parent = stages.find((stage) => stage.name === from);
        stages.push({
          name: match[2],
          from,
          user: parent?.user,
          healthcheck: parent?.healthcheck ?? false,
          copySources: [],
        });
        break;
      }
      case 'USER':
        if (current) current.user = operands;
        break;
      case 'HEALTHCHECK':
        if (current) current.healthcheck = !/^NONE$/i.test(operands);
        break;
      case 'COPY':
      case 'ADD': {
        if (!current || /--from=/.test(operands)) break;
        const words = operands.startsWith('[')
          ? (JSON.parse(operands) as string[])
          : operands.split(/\s+/).filter((word) => !word.startsWith('--'));
        current.copySources.push(...words.slice(0, -1));
        break;
      }
      default:
        break;
    }
  }
  return stages;
}

/** The stages a target is built from, itself first. */
function lineage(stages: readonly DockerfileStage[], target: string | undefined): DockerfileStage[] {
  const chain: DockerfileStage[] = [];
  let stage = target === undefined ? stages[stages.length - 1] : stages.find((candidate) => candidate.name === target);
  while (stage && !chain.includes(stage)) {
    chain.push(stage);
    const from = stage.from;
    stage = stages.find((candidate) => candidate.name === from);
  }
  return chain;
}

const ROOT_USERS = new Set(['root', '0', '0:0', 'root:root']);

export function isPinned(image: string): boolean {
  const lastSegment = image.split('/').pop() ?? '';
  if (image.includes('@sha256:')) return true;
  const tag = lastSegment.includes(':') ? lastSegment.split(':').pop() : undefined;
  return tag !== undefined && tag !== '' && tag !== 'latest' && !tag.includes('$');
}

/** `.dockerignore` entries that name a path (globs are left to Docker). */
function ignoredPaths(contextDir: string): string[] {
  const file = path.join(contextDir, '.dockerignore');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#') && !line.startsWith('!') && !/[*?[]/.test(line))
    .map((line) => line.replace(/^\/|\/$/g, ''));
}

export function checkDockerfile(dockerfile: string, contextDir: string): string[] {
  const problems: string[] = [];
  const stages = parseDockerfile(readFileSync(dockerfile, 'utf8'));
  const ignored = ignoredPaths(contextDir);
  for (const stage of stages) {
    const isStage = stages.some((candidate) => candidate.name === stage.from);
    if (!isStage && !isPinned(stage.from)) problems.push(`${dockerfile}: stage ${stage.name ?? '(unnamed)'} starts from unpinned image "${stage.from}"`);
    for (const source of stage.copySources) {
      const relative = path.normalize(source).replace(/\/$/, '');
      if (!existsSync(path.join(contextDir, relative))) problems.push(`${dockerfile}: COPY source "${source}" does not exist in the build context`);
      const excludedBy = ignored.find((entry) => relative === entry || relative.startsWith(`${entry}/`));
      if (excludedBy) problems.push(`${dockerfile}: COPY source "${source}" is excluded by .dockerignore entry "${excludedBy}"`);
    }
  }
  return problems;
}

/** Images that are not ours, and how each one avoids running its process as root. */
export const THIRD_PARTY_USERS: Readonly<Record<string, string>> = {
  'eventstore/eventstore': 'the image runs EventStoreDB as its own `eventstore` user',
  postgres: 'the entrypoint drops from root to the `postgres` user before starting the server',
  'nginxinc/nginx-unprivileged': 'the image runs nginx as uid 101 on an unprivileged port',
};

function dependencies(service: ComposeService): [string, string | undefined][] {
  const dependsOn = service.depends_on;
  if (!dependsOn) return [];
  if (Array.isArray(dependsOn)) return (dependsOn as readonly string[]).map((name) => [name, undefined]);
  return Object.entries(dependsOn as Readonly<Record<string, { readonly condition?: string }>>).map(([name, spec]) => [name, spec.condition]);
}

const CONDITIONS = new Set(['service_started', 'service_healthy', 'service_completed_successfully']);

export function checkCompose(compose: ComposeFile): string[] {
  const problems: string[] = [];
  const dir = path.dirname(compose.path);
  const name = path.basename(compose.path);
  const services = compose.services;
  if (Object.keys(services).length === 0) problems.push(`${name}: defines no service`);

  for (const [serviceName, service] of Object.entries(services)) {
    const where = `${name}: service ${serviceName}`;
    const oneShot = service.restart === 'no';

    if (service.image !== undefined && !isPinned(service.image)) problems.push(`${where}: image "${service.image}" is not pinned to a tag`);
    if (service.image === undefined && service.build === undefined) problems.push(`${where}: has neither image nor build`);

    if (service.build !== undefined) {
      const build = typeof service.build === 'string' ? { context: service.build } : service.build;
      const context = path.resolve(dir, build.context ?? '.');
      const dockerfile = path.resolve(context, build.dockerfile ?? 'Dockerfile');
      if (!existsSync(context)) problems.push(`${where}: build context ${build.context ?? '.'} does not exist`);
      if (!existsSync(dockerfile)) {
        problems.push(`${where}: dockerfile ${build.dockerfile ?? 'Dockerfile'} does not exist`);
      } else {
        const stages = parseDockerfile(readFileSync(dockerfile, 'utf8'));
        const chain = lineage(stages, build.target);
        if (build.target !== undefined && chain.length === 0) problems.push(`${where}: target "${build.target}" is not a stage of ${build.dockerfile ?? 'Dockerfile'}`);
        const user = service.user !== undefined ? String(service.user) : chain[0]?.user;
        if (user === undefined || ROOT_USERS.has(user)) problems.push(`${where}: runs as root (no USER in its Dockerfile target)`);
        if (!oneShot && !service.healthcheck && !chain[0]?.healthcheck) problems.push(`${where}: long-running but has no healthcheck`);
      }
    } else if (service.image !== undefined) {
      const repository = service.image.replace(/@.*$/, '').replace(/:[^/]*$/, '');
      if (service.user !== undefined && ROOT_USERS.has(String(service.user))) problems.push(`${where}: runs as root`);
      if (service.user === undefined && THIRD_PARTY_USERS[repository] === undefined) {
        problems.push(`${where}: image ${repository} is not known to drop root; set user: or add it to THIRD_PARTY_USERS with the reason`);
      }
    }

    if (!oneShot && service.build === undefined && service.healthcheck?.test === undefined) problems.push(`${where}: long-running but has no healthcheck`);
    if (service.healthcheck?.disable === true) problems.push(`${where}: disables its healthcheck`);

    for (const [dependency, condition] of dependencies(service)) {
      const target = services[dependency];
      if (!target) {
        problems.push(`${where}: depends on undefined service "${dependency}"`);
        continue;
      }
      if (condition !== undefined && !CONDITIONS.has(condition)) problems.push(`${where}: unknown depends_on condition "${condition}"`);
      if (condition === 'service_completed_successfully' && target.restart !== 'no') {
        problems.push(`${where}: waits for "${dependency}" to complete, but it is not a one-shot service (restart: "no")`);
      }
      if (condition === 'service_healthy' && target.healthcheck?.test === undefined && target.build === undefined) {
        problems.push(`${where}: waits for "${dependency}" to be healthy, but it has no healthcheck`);
      }
    }

    for (const volume of service.volumes ?? []) {
      const source = typeof volume === 'string' ? volume.split(':')[0] : volume.type === 'bind' ? volume.source : undefined;
      if (source !== undefined && /^\.{1,2}\//.test(source) && !existsSync(path.resolve(dir, source))) {
        problems.push(`${where}: bind-mounted ${source} does not exist`);
      }
    }
  }
  return problems;
}

export function environmentOf(service: ComposeService): Record<string, string> {
  const environment = service.environment;
  if (!environment) return {};
  if (Array.isArray(environment)) {
    return Object.fromEntries((environment as readonly string[]).map((entry) => [entry.split('=')[0] ?? entry, entry.split('=').slice(1).join('=')]));
  }
  return Object.fromEntries(
    Object.entries(environment as Readonly<Record<string, string | number | boolean | null>>).map(([key, value]) => [key, value === null ? '' : String(value)]),
  );
}
