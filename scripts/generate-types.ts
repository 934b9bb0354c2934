/**
 * Writes every `generated-types.ts` from the field definitions, as the action-destinations monorepo does:
 * actions-core's `fieldsToJsonSchema`, then `json-schema-to-typescript`. `npm run types` runs it;
 * test/generated-types.test.ts fails when a committed file differs from what this produces.
 */
import { fieldsToJsonSchema, type DestinationDefinition } from '@segment/actions-core'
import { compile } from 'json-schema-to-typescript'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'fs'
import path from 'path'

const DESTINATIONS = path.join(__dirname, '..', 'src', 'destinations')
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

/** Path of each generated-types.ts, with the text it should hold. */
export async function generateTypes(): Promise<Map<string, string>> {
  const files = new Map<string, string>()
  for (const folder of readdirSync(DESTINATIONS)) {
    const dir = path.join(DESTINATIONS, folder)
    if (!existsSync(path.join(dir, 'index.ts'))) continue
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const definition: DestinationDefinition<unknown> = require(dir).default
    files.set(path.join(dir, 'generated-types.ts'), await typesFor('Settings', definition.authentication?.fields ?? {}))
    for (const slug of Object.keys(definition.actions)) {
      files.set(path.join(dir, slug, 'generated-types.ts'), await typesFor('Payload', definition.actions[slug].fields))
    }
  }
  return files
}

/** Writes the files, or with `--check` only reports the stale ones (exit 1) and writes nothing. */
async function main(check: boolean): Promise<number> {
  const files = await generateTypes()
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
  main(process.argv.includes('--check'))
    .then((code) => {
      process.exitCode = code
    })
    .catch((error) => {
      console.error(error)
      process.exit(1)
    })
}
