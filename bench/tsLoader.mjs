// Node module hook: lets the bench import the test harness (TypeScript) as is, by stripping its types.
import { readFile } from 'node:fs/promises';
import ts from 'typescript';

export const load = async (url, context, next) => {
  if (!url.endsWith('.ts')) return next(url, context);
  const { outputText } = ts.transpileModule(await readFile(new URL(url), 'utf8'), {
    fileName: url,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
  });
  return { format: 'module', source: outputText, shortCircuit: true };
};
