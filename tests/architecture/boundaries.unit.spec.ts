import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the shared rule file is CommonJS so ESLint and Jest can both load it
const { domainBoundary, libraryEntryPoints } = require('../../eslint.boundaries.cjs') as {
  domainBoundary: Record<string, unknown>;
  libraryEntryPoints: Record<string, unknown>;
};

// Lints snippets as if they were files at the given paths, with exactly the boundary rules the
// repository's lint uses, so a change that loosens the rules makes these tests fail.
async function violations(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: process.cwd(),
    overrideConfigFile: true,
    overrideConfig: [
      { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
      domainBoundary,
      libraryEntryPoints,
    ],
  });
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.message);
}

describe('libs/domain boundary', () => {
  it.each([
    ["import { Injectable } from '@nestjs/common';", 'NestJS'],
    ["import { DataSource } from 'typeorm';", 'TypeORM'],
    ["import { Pool } from 'pg';", 'PostgreSQL driver'],
    ["import { EventStoreDBClient } from '@eventstore/db-client';", 'EventStoreDB'],
    ["import { createPostgresEventStore } from '@newsroom/event-store';", 'adapters depend on it'],
    ["import { x } from '../../event-store/src/postgres/postgres-event-store';", 'adapters depend on it'],
  ])('rejects %s', async (code, reason) => {
    const messages = await violations('libs/domain/src/story/probe.ts', code);
    expect(messages).toEqual([expect.stringContaining(reason)]);
  });

  it('accepts node:crypto and its own modules', async () => {
    const messages = await violations(
      'libs/domain/src/story/probe.ts',
      "import { createHash } from 'node:crypto';\nimport { decide } from './story.decide';",
    );
    expect(messages).toEqual([]);
  });
});

describe('library entry points', () => {
  it('rejects a deep import of a lib from an app', async () => {
    const messages = await violations('apps/newsroom-api/src/probe.ts', "import { x } from '@newsroom/domain/story/story.decide';");
    expect(messages).toEqual([expect.stringContaining('through its alias')]);
  });

  it('accepts the alias', async () => {
    expect(await violations('apps/newsroom-api/src/probe.ts', "import { decide } from '@newsroom/domain';")).toEqual([]);
  });
});
