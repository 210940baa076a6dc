import 'reflect-metadata';
import { type DynamicModule, RequestMethod, type Type } from '@nestjs/common';
import { INTERCEPTORS_METADATA, METHOD_METADATA, MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { AppModule } from '../../app.module';
import { loadConfig } from '../../config/newsroom-config';
import { IdempotencyInterceptor } from './idempotency.interceptor';

type ModuleRef = Type<unknown> | DynamicModule;

const isDynamic = (module: ModuleRef): module is DynamicModule => typeof module === 'object' && 'module' in module;

/** Every controller the application mounts, walking the imports from AppModule. */
function controllersOf(root: ModuleRef, seen = new Set<unknown>()): Type<unknown>[] {
  const type = isDynamic(root) ? root.module : root;
  if (seen.has(type)) return [];
  seen.add(type);
  const own = [
    ...((Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, type) as Type<unknown>[] | undefined) ?? []),
    ...(isDynamic(root) ? (root.controllers ?? []) : []),
  ];
  const imports = [
    ...((Reflect.getMetadata(MODULE_METADATA.IMPORTS, type) as ModuleRef[] | undefined) ?? []),
    ...(isDynamic(root) ? ((root.imports ?? []) as ModuleRef[]) : []),
  ];
  return [...own, ...imports.flatMap((imported) => controllersOf(imported, seen))];
}

interface Route {
  readonly name: string;
  readonly method: RequestMethod;
  readonly idempotent: boolean;
}

function routesOf(controller: Type<unknown>): Route[] {
  const onClass = (Reflect.getMetadata(INTERCEPTORS_METADATA, controller) as unknown[] | undefined) ?? [];
  const prototype = controller.prototype as Record<string, unknown>;
  return Object.getOwnPropertyNames(prototype).flatMap((name) => {
    const handler = prototype[name];
    if (name === 'constructor' || typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) return [];
    const onMethod = (Reflect.getMetadata(INTERCEPTORS_METADATA, handler) as unknown[] | undefined) ?? [];
    return [
      {
        name: `${controller.name}.${name}`,
        method: Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod,
        idempotent: [...onClass, ...onMethod].includes(IdempotencyInterceptor),
      },
    ];
  });
}

describe('Idempotency-Key on the routes the application mounts', () => {
  const routes = controllersOf(AppModule.forConfig(loadConfig({ DATABASE_URL: 'postgres://u@localhost/db', NEWSROOM_TOKENS: 'a-token-of-sixteen-chars:ed-1:editor' }))).flatMap(routesOf);
  const writes = routes.filter((route) => route.method !== RequestMethod.GET && route.method !== RequestMethod.HEAD);

  it('finds the write routes (the walk sees the feature modules)', () => {
    expect(writes.length).toBeGreaterThanOrEqual(8);
    expect(routes.length).toBeGreaterThan(writes.length);
  });

  it('is honoured by every write route', () => {
    expect(writes.filter((route) => !route.idempotent).map((route) => route.name)).toEqual([]);
  });

  it('costs the reads nothing: no read route goes through the interceptor', () => {
    expect(routes.filter((route) => !writes.includes(route) && route.idempotent).map((route) => route.name)).toEqual([]);
  });
});
