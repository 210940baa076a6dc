// @ts-check
// `node bench/support/build-to.mjs <dir>`: the same swc build as scripts/build.mjs, but into
// <dir>/dist instead of the repository's dist/, which `npm run build` deletes first. For trying
// benchmarks while something else (a test run, a projector) is using the repository's dist/.
// <dir> gets symlinks to the repository's package.json and node_modules, so the compiled code
// resolves its packages and finds its "repository root" there, and to bench/results, so the
// figures land where `npm run bench:*` puts them.
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { transformFile } from '@swc/core';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const target = process.argv[2];
if (!target) {
  console.error('usage: node bench/support/build-to.mjs <dir>');
  process.exit(2);
}
const dir = path.resolve(target);
if (dir === root || root.startsWith(`${dir}${path.sep}`)) {
  console.error(`refusing to build into ${dir}: it holds the repository`);
  process.exit(2);
}
const out = path.join(dir, 'dist');

/** @param {string} from */
function sources(from) {
  return readdirSync(from, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(from, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** @param {string} link @param {string} to */
function linkOnce(link, to) {
  if (existsSync(link)) return;
  mkdirSync(path.dirname(link), { recursive: true });
  symlinkSync(to, link);
}

const started = Date.now();
rmSync(out, { recursive: true, force: true });
mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
linkOnce(path.join(dir, 'package.json'), path.join(root, 'package.json'));
linkOnce(path.join(dir, 'node_modules'), path.join(root, 'node_modules'));
linkOnce(path.join(dir, 'bench', 'results'), path.join(root, 'bench', 'results'));

const files = ['apps', 'libs', 'tools', 'bench'].flatMap((from) => sources(path.join(root, from)));
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
    const js = path.join(out, path.relative(root, file)).replace(/\.ts$/, '.js');
    mkdirSync(path.dirname(js), { recursive: true });
    writeFileSync(js, `${code}\n//# sourceMappingURL=${path.basename(js)}.map\n`);
    if (map) writeFileSync(`${js}.map`, map);
  }),
);
console.log(`Built ${files.length} files into ${out} in ${Date.now() - started} ms`);
