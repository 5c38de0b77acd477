/** Matches method + path against route templates; literal routes must be registered before parameterised ones. */
import type { RouteDef, RouteHandler } from './context';

interface Compiled {
  def: RouteDef;
  re: RegExp;
  keys: string[];
}

export type RouteMatch =
  | { kind: 'route'; template: string; handler: RouteHandler; params: Record<string, string> }
  | { kind: 'method'; template: string; allow: string[] }
  | { kind: 'none' };

export class Router {
  private readonly routes: Compiled[] = [];

  add(defs: RouteDef[]): this {
    for (const def of defs) {
      const keys: string[] = [];
      const pattern = def.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, key: string) => {
        keys.push(key);
        return '([^/]+)';
      });
      this.routes.push({ def, re: new RegExp(`^${pattern}/?$`), keys });
    }
    return this;
  }

  match(method: string, path: string): RouteMatch {
    let template: string | undefined;
    const allow: string[] = [];
    for (const r of this.routes) {
      const m = r.re.exec(path);
      if (!m) continue;
      if (template !== undefined && r.def.path !== template) continue;
      template = r.def.path;
      if (r.def.method === method) {
        const params: Record<string, string> = {};
        r.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1] ?? '')));
        return { kind: 'route', template: r.def.path, handler: r.def.handler, params };
      }
      allow.push(r.def.method);
    }
    return template === undefined ? { kind: 'none' } : { kind: 'method', template, allow };
  }
}
