/**
 * Writes every `generated-types.ts` from the field definitions, as the action-destinations monorepo does:
 * actions-core's `fieldsToJsonSchema`, then `json-schema-to-typescript`; and each destination's `metadata.json`
 * (generate-metadata.ts). `npm run types` runs it; test/destinations/movable-ink/generatedTypes.test.ts fails
 * when a committed file differs from what this produces.
 */
import { fieldsToJsonSchema } from '@segment/actions-core'
import type { DestinationDefinition } from '@segment/actions-core'
import { compile } from 'json-schema-to-typescript'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'fs'
import path from 'path'
import { metadataJson } from './generate-metadata'

/** The destination folders; `--destinations DIR` points elsewhere (the tests check a copy). */
function destinationsDir(argv: string[]): string {
  const given = argv.indexOf('--destinations')
  return given === -1 ? path.join(__dirname, '..', 'src', 'destinations') : path.resolve(argv[given + 1])
}
const BANNER = '// Generated file. DO NOT MODIFY IT BY HAND.'

type Schema = ReturnType<typeof fieldsToJsonSchema>

/** Titles and enums would each become a named type; without them the output reads like the fields. */
function withoutTitles(schema: Schema): Schema {
  const { title: _title, enum: _enum, ...rest } = schema
  if (rest.type === 'object' && rest.properties) {
    rest.properties = Object.fromEntries(Object.entries(rest.properties).map(([k, v]) => [k, withoutTitles(v)]))
  } else if (rest.type === 'array' && rest.items && !Array.isArray(rest.items)) {
    rest.items = withoutTitles(rest.items)
  }
  return rest
}

async function typesFor(name: string, fields: Parameters<typeof fieldsToJsonSchema>[0]): Promise<string> {
  const schema = withoutTitles(fieldsToJsonSchema(fields, { tsType: true }))
  return compile(schema as Parameters<typeof compile>[0], name, {
    bannerComment: BANNER,
    style: { semi: false, singleQuote: true, trailingComma: 'none', printWidth: 120 }
  })
}

/** Each destination folder (one with an index.ts), with the definition it exports. */
function destinations(root: string): [string, DestinationDefinition<unknown>][] {
  return readdirSync(root)
    .map((folder) => path.join(root, folder))
    .filter((dir) => existsSync(path.join(dir, 'index.ts')))
    .map((dir) => {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const definition = require(dir).default as DestinationDefinition<unknown>
      return [dir, definition]
    })
}

/** Path of each generated-types.ts and metadata.json, with the text it should hold. */
export async function generateTypes(root = destinationsDir([])): Promise<Map<string, string>> {
  const files = new Map<string, string>()
  for (const [dir, definition] of destinations(root)) {
    files.set(path.join(dir, 'generated-types.ts'), await typesFor('Settings', definition.authentication?.fields ?? {}))
    for (const slug of Object.keys(definition.actions)) {
      files.set(path.join(dir, slug, 'generated-types.ts'), await typesFor('Payload', definition.actions[slug].fields))
    }
    files.set(path.join(dir, 'metadata.json'), metadataJson(definition, path.basename(dir)))
  }
  return files
}

/** Writes the files, or with `--check` only reports the stale ones (exit 1) and writes nothing. */
async function main(check: boolean, root: string): Promise<number> {
  const files = await generateTypes(root)
  const stale: string[] = []
  for (const [file, text] of files) {
    const name = path.relative(process.cwd(), file)
    const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined
    if (current === text) continue
    if (check) {
      stale.push(name)
    } else {
      writeFileSync(file, text)
      console.log(`wrote ${name}`)
    }
  }
  if (stale.length > 0) {
    console.error(`stale: ${stale.join(', ')}: run \`npm run types\` and commit the result`)
    return 1
  }
  if (check) console.log(`up to date: ${[...files.keys()].map((f) => path.relative(process.cwd(), f)).join(', ')}`)
  return 0
}

if (require.main === module) {
  main(process.argv.includes('--check'), destinationsDir(process.argv))
    .then((code) => {
      process.exitCode = code
    })
    .catch((error) => {
      console.error(error)
      process.exit(1)
    })
}
