/**
 * Runtime twin of the compile-time contract checks: reads the official SDK's `Models` interfaces from its
 * index.d.ts with the TypeScript parser, then walks a real JSON response and reports every key the model lacks
 * (recursively, through arrays, maps and nested models).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ts from 'typescript';

type Shape = { kind: 'model'; name: string } | { kind: 'array'; of: Shape } | { kind: 'map'; of: Shape } | { kind: 'leaf' };

let models: Map<string, Map<string, Shape>> | undefined;

function shapeOf(node: ts.TypeNode): Shape {
  if (ts.isTypeReferenceNode(node)) {
    const name = node.typeName.getText();
    if ((name === 'Array' || name === 'ReadonlyArray') && node.typeArguments?.[0]) return { kind: 'array', of: shapeOf(node.typeArguments[0]) };
    if (name === 'Record' && node.typeArguments?.[1]) return { kind: 'map', of: shapeOf(node.typeArguments[1]) };
    if (name.startsWith('Models.')) return { kind: 'model', name: name.slice('Models.'.length) };
    return { kind: 'leaf' };
  }
  if (ts.isArrayTypeNode(node)) return { kind: 'array', of: shapeOf(node.elementType) };
  if (ts.isTypeLiteralNode(node)) {
    const index = node.members.find(ts.isIndexSignatureDeclaration);
    if (index?.type) return { kind: 'map', of: shapeOf(index.type) };
  }
  return { kind: 'leaf' };
}

function load(): Map<string, Map<string, Shape>> {
  if (models) return models;
  const require = createRequire(import.meta.url);
  const file = join(dirname(require.resolve('purecloud-platform-client-v2/package.json')), 'index.d.ts');
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out = new Map<string, Map<string, Shape>>();
  for (const stmt of source.statements) {
    if (!ts.isModuleDeclaration(stmt) || stmt.name.getText() !== 'Models' || !stmt.body || !ts.isModuleBlock(stmt.body)) continue;
    for (const decl of stmt.body.statements) {
      if (!ts.isInterfaceDeclaration(decl)) continue;
      const props = new Map<string, Shape>();
      for (const m of decl.members) {
        if (ts.isPropertySignature(m) && m.type) props.set(m.name.getText().replace(/^"|"$/g, ''), shapeOf(m.type));
      }
      out.set(decl.name.text, props);
    }
  }
  models = out;
  return out;
}

export function modelExists(name: string): boolean {
  return load().has(name);
}

/** Paths of keys in `value` that model `name` (recursively) does not declare. Empty means it fits. */
export function extraKeys(value: unknown, name: string): string[] {
  const problems: string[] = [];
  const walk = (v: unknown, shape: Shape, at: string): void => {
    if (v === null || v === undefined) return;
    if (shape.kind === 'leaf') return;
    if (shape.kind === 'array') {
      if (!Array.isArray(v)) return void problems.push(`${at}: expected an array`);
      v.forEach((x, i) => walk(x, shape.of, `${at}[${i}]`));
      return;
    }
    if (typeof v !== 'object' || Array.isArray(v)) return void problems.push(`${at}: expected an object`);
    if (shape.kind === 'map') {
      for (const [k, x] of Object.entries(v)) walk(x, shape.of, `${at}.${k}`);
      return;
    }
    const props = load().get(shape.name);
    if (!props) return void problems.push(`${at}: unknown model ${shape.name}`);
    for (const [k, x] of Object.entries(v)) {
      const p = props.get(k);
      if (!p) problems.push(`${at}.${k} (not in Models.${shape.name})`);
      else walk(x, p, `${at}.${k}`);
    }
  };
  walk(value, { kind: 'model', name }, name);
  return problems;
}

export function extraKeysInArray(value: unknown, name: string): string[] {
  if (!Array.isArray(value)) return [`expected an array of ${name}`];
  return value.flatMap((v, i) => extraKeys(v, name).map((p) => `[${i}] ${p}`));
}
