// Segment's action-destinations monorepo's ESLint configuration (its root .eslintrc.js), for what this
// project has: TypeScript, jest tests, and the destination-actions rule. Left out: the lodash plugin (no
// lodash here) and the overrides for monorepo packages this project does not have. Same versions as there:
// eslint 7, @typescript-eslint 5, eslint-config-prettier 6, eslint-plugin-jest 25.
//
// Added for this project: the folders of src/ and what each may import (LAYERS), so that imports only point
// down; an upward or sideways import fails the lint (`no-restricted-imports`, one override per folder).

/** Each folder of src/, lowest first, and the folders it may import besides itself. */
const LAYERS = {
  destinations: [], // actions-core and itself only: the folder drops into the monorepo as it is
  io: [], // files, loopback HTTP, worker threads: nothing of Movable Ink
  events: ['io'],
  endpointModel: ['destinations', 'io'], // the destination's own rules where both sides must agree (absentId)
  runtime: ['destinations', 'io', 'events'],
  preview: ['destinations', 'io', 'events', 'endpointModel', 'runtime'],
  send: ['destinations', 'io', 'events', 'runtime'],
  standIn: ['destinations', 'io', 'events', 'endpointModel', 'runtime'],
  suite: ['destinations', 'io', 'events', 'endpointModel', 'runtime', 'preview'],
  studio: ['destinations', 'io', 'events', 'endpointModel', 'runtime', 'preview', 'standIn', 'suite'],
  demo: ['destinations', 'io', 'events', 'endpointModel', 'runtime', 'send', 'standIn'],
  cli: [
    'destinations',
    'io',
    'events',
    'endpointModel',
    'runtime',
    'preview',
    'send',
    'standIn',
    'suite',
    'studio',
    'demo'
  ]
}

/** Folders that others may enter only through their index.ts. */
const INDEX_ONLY = ['endpointModel']

/** Subsystems inside a folder that the rest of that folder may enter only through their index.ts. */
const INNER_DOORS = { endpointModel: ['jq'] }

/** Packages that belong to one folder: the command line's, and jq (Movable Ink's side). */
const OWN_PACKAGES = { cli: ['commander', 'cli-progress'], endpointModel: ['jq-web'] }

function layerRule(folder) {
  const others = Object.keys(LAYERS).filter((other) => other !== folder && !LAYERS[folder].includes(other))
  const patterns = others.map((other) => ({
    group: [`**/${other}`, `**/${other}/**`],
    message: `src/${folder} may import only ${
      LAYERS[folder].join(', ') || 'nothing of src/'
    } (imports point down: see README, "Folders").`
  }))
  for (const entered of INDEX_ONLY.filter((f) => f !== folder && LAYERS[folder].includes(f)))
    patterns.push({ group: [`**/${entered}/**`], message: `Import src/${entered} through its index.ts only.` })
  for (const inner of INNER_DOORS[folder] || [])
    patterns.push({
      group: [`./${inner}/*`, `./${inner}/**`],
      message: `Import src/${folder}/${inner} through its index.ts only.`
    })
  for (const [owner, packages] of Object.entries(OWN_PACKAGES))
    if (owner !== folder)
      patterns.push({ group: packages, message: `Only src/${owner} uses ${packages.join(' and ')}.` })
  return {
    files: [`src/${folder}/**/*.ts`],
    excludedFiles: ['**/__tests__/**'],
    rules: { 'no-restricted-imports': ['error', { patterns }] }
  }
}

module.exports = {
  root: true,
  ignorePatterns: ['node_modules', 'dist', 'coverage', 'bench/out'],
  parser: '@typescript-eslint/parser',
  parserOptions: {
    ecmaVersion: 2019,
    project: ['./tsconfig.json'],
    tsconfigRootDir: __dirname,
    // @typescript-eslint 5 (the monorepo's) predates this project's TypeScript; it parses it fine.
    warnOnUnsupportedTypeScriptVersion: false
  },
  env: {
    node: true
  },
  extends: [
    'eslint:recommended',
    'plugin:@typescript-eslint/recommended',
    'plugin:@typescript-eslint/recommended-requiring-type-checking',
    'prettier/@typescript-eslint',
    'prettier'
  ],
  plugins: ['@typescript-eslint'],
  rules: {
    '@typescript-eslint/ban-types': 'off',
    '@typescript-eslint/ban-ts-comment': [
      'error',
      {
        'ts-expect-error': 'allow-with-description',
        'ts-ignore': 'allow-with-description',
        'ts-nocheck': true,
        'ts-check': false
      }
    ],
    '@typescript-eslint/explicit-module-boundary-types': 'off',
    '@typescript-eslint/no-empty-interface': 'off',
    '@typescript-eslint/no-floating-promises': 'error',
    '@typescript-eslint/no-unsafe-assignment': 'off',
    '@typescript-eslint/no-unsafe-call': 'warn',
    '@typescript-eslint/no-unsafe-member-access': 'off',
    '@typescript-eslint/no-unsafe-return': 'off',
    'no-unused-vars': 'off',
    '@typescript-eslint/no-unused-vars': [
      'error',
      { varsIgnorePattern: '^_', argsIgnorePattern: '^_', ignoreRestSiblings: true }
    ],
    '@typescript-eslint/require-await': 'off',
    '@typescript-eslint/restrict-plus-operands': 'off',
    '@typescript-eslint/restrict-template-expressions': 'off',
    '@typescript-eslint/unbound-method': 'off',
    '@typescript-eslint/no-unsafe-argument': 'warn',
    '@typescript-eslint/no-misused-promises': 'warn',
    '@typescript-eslint/no-unnecessary-type-assertion': 'warn'
  },
  overrides: [
    ...Object.keys(LAYERS).map(layerRule),
    {
      // The JavaScript files (scripts, configs, the studio's page, a jest reporter) are in no TypeScript
      // project: the same rules, without those that need the type checker.
      files: ['*.js'],
      parserOptions: { project: null },
      rules: Object.fromEntries(
        Object.keys(require('@typescript-eslint/eslint-plugin').configs['recommended-requiring-type-checking'].rules)
          .filter((rule) => rule.startsWith('@typescript-eslint/'))
          .map((rule) => [rule, 'off'])
      )
    },
    // The scripts and configs are CommonJS; the studio's page is ES modules in the browser.
    {
      files: ['*.js'],
      excludedFiles: ['src/studio/static/**'],
      rules: { '@typescript-eslint/no-var-requires': 'off' }
    },
    { files: ['src/studio/static/**/*.js'], env: { browser: true, node: false } },
    {
      files: ['*.test.ts', '**/__tests__/**/*.ts', '**/test/**/*.ts'],
      env: {
        jest: true
      },
      plugins: ['jest'],
      rules: {
        '@typescript-eslint/ban-ts-comment': 'off',
        '@typescript-eslint/no-unsafe-call': 'off',
        '@typescript-eslint/no-explicit-any': 'off',
        '@typescript-eslint/no-empty-function': 'off'
      }
    },
    {
      // the monorepo's rule for packages/destination-actions
      files: ['src/destinations/**/*.ts'],
      rules: {
        'no-restricted-syntax': [
          'error',
          {
            selector: "ImportDeclaration[source.value='crypto'] ImportSpecifier[imported.name='createHash']",
            message:
              'The "destination-actions/lib/hashing-utils/processHashing" can autodetect  prehashed values and avoid double hashing. Avoid importing the "createHash" function from "crypto"'
          }
        ]
      }
    }
  ]
}
