// @ts-check
// Compiles apps/, libs/, tools/ and bench/ to dist/ with swc, file by file (no bundling: TypeORM
// migrations and Nest's reflection stay plain CommonJS modules), rewriting the @newsroom/* path
// aliases into relative requires. Type checking is `npm run typecheck`; this step only emits.
import { readdirSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { transformFile } from '@swc/core';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const out = path.join(root, 'dist');

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
console.log(`Built ${files.length} files into dist/ in ${Date.now() - started} ms`);
