// @ts-check
// Compiles apps/, libs/, tools/ and bench/ to dist/ with swc, file by file (no bundling: TypeORM
// migrations and Nest's reflection stay plain CommonJS modules), rewriting the @newsroom/* path
// aliases into relative requires. Type checking is `npm run typecheck`; this step only emits.
import { existsSync, readdirSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { transformFile } from '@swc/core';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

// `--root <dir>` builds into <dir>/dist instead of this checkout's dist/ (which a plain build
// deletes first), with <dir>/package.json, node_modules and bench/results linked back here so the
// output runs from there. Tests that spawn built processes, and benchmarks tried while something
// else runs from dist/, use it.
const rootFlag = process.argv.indexOf('--root');
const target = rootFlag === -1 ? root : path.resolve(process.argv[rootFlag + 1] ?? '');
if (rootFlag !== -1 && (target === root || root.startsWith(`${target}${path.sep}`))) {
  console.error(`refusing to build into ${target}: it holds the repository`);
  process.exit(2);
}
const out = path.join(target, 'dist');

/** @param {string} link @param {string} to */
function linkOnce(link, to) {
  if (existsSync(link)) return;
  mkdirSync(path.dirname(link), { recursive: true });
  symlinkSync(to, link);
}

/** @param {string} dir @returns {string[]} */
function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

const started = Date.now();
rmSync(out, { recursive: true, force: true });
if (target !== root) {
  mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
  for (const name of ['package.json', 'node_modules', path.join('bench', 'results')]) linkOnce(path.join(target, name), path.join(root, name));
}
const files = ['apps', 'libs', 'tools', 'bench'].flatMap((dir) => sources(path.join(root, dir)));
await Promise.all(
  files.map(async (file) => {
    const { code, map } = await transformFile(file, {
      swcrc: false,
      sourceMaps: true,
      module: { type: 'commonjs' },
      jsc: {
        target: 'es2022',
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        keepClassNames: true,
        baseUrl: root,
        paths: {
          '@newsroom/domain': ['libs/domain/src'],
          '@newsroom/event-store': ['libs/event-store/src'],
          '@newsroom/read-models': ['libs/read-models/src'],
        },
      },
    });
    const target = path.join(out, path.relative(root, file)).replace(/\.ts$/, '.js');
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, `${code}\n//# sourceMappingURL=${path.basename(target)}.map\n`);
    if (map) writeFileSync(`${target}.map`, map);
  }),
);
console.log(`Built ${files.length} files into ${path.relative(process.cwd(), out) || out} in ${Date.now() - started} ms`);
