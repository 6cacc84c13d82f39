// How the examples import `tripod/…` inside this repository, where Tripod is not installed in a
// node_modules: the package is resolved from here (inside its own scope, where Node resolves a package's
// own name) and to its TypeScript sources (the `tripod-source` condition), so no build is needed. An
// application with Tripod installed imports the same names without this file.

import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier !== 'tripod' && !specifier.startsWith('tripod/')) return nextResolve(specifier, context);
    return nextResolve(specifier, {
      ...context,
      parentURL: import.meta.url,
      conditions: ['tripod-source', ...context.conditions],
    });
  },
});
