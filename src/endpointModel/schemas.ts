import type { EndpointSpec, EventMappingSpec } from './types'

/**
 * Movable Ink's predefined schemas and the fields each requires (RudderStack's Movable Ink docs; see
 * docs/movable-ink-sources.md). A mapping on a predefined schema that leaves one out is saved by the dashboard but
 * fails Test Mapping, so loading such a file warns. Any other schema name is a Custom schema.
 */
export const PREDEFINED_SCHEMAS: Record<string, string[]> = {
  Identify: ['UserID', 'AnonymousId', 'Timestamp'],
  Product: ['ID', 'Timestamp'],
  CartAdd: ['ID', 'Timestamp'],
  CartRemove: ['ID', 'Timestamp'],
  Category: ['CategoryID', 'Timestamp'],
  Search: ['Query', 'Timestamp'],
  Conversion: ['Products', 'Products.ID', 'Timestamp']
}

/** Custom schemas need at least a Timestamp. */
export const CUSTOM_REQUIRED = ['Timestamp']

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase()
}

/** The predefined schema a mapping's schema names (case aside), or undefined for a Custom one. */
function predefinedOf(schema: string): string | undefined {
  return Object.keys(PREDEFINED_SCHEMAS).find((name) => same(name, schema))
}

/**
 * The fields a mapping's predefined schema requires that it does not have at all: Test Mapping fails on every
 * event it takes, so each such event has a problem (not only the file a warning).
 */
export function missingSchemaFields(mapping: EventMappingSpec): { schema: string; fields: string[] } | undefined {
  const predefined = predefinedOf(mapping.schema)
  if (!predefined) return undefined
  const fields = PREDEFINED_SCHEMAS[predefined].filter((name) => !mapping.fields.some((f) => same(f.name, name)))
  return fields.length > 0 ? { schema: predefined, fields } : undefined
}

/** Warnings about mappings whose schema requires a field they do not map as required. */
export function schemaWarnings(spec: EndpointSpec): string[] {
  const warnings: string[] = []
  spec.mappings.forEach((mapping, index) => {
    const predefined = predefinedOf(mapping.schema)
    const required = predefined ? PREDEFINED_SCHEMAS[predefined] : CUSTOM_REQUIRED
    for (const name of required) {
      const field = mapping.fields.find((f) => same(f.name, name))
      const kind = predefined ? `Movable Ink's ${predefined} schema` : 'a Custom schema'
      if (!field) warnings.push(`mappings[${index}] "${mapping.name}": no field ${name}, which ${kind} requires`)
      else if (!field.required)
        warnings.push(`mappings[${index}] "${mapping.name}": field ${name} should be "required": true (${kind})`)
    }
  })
  return warnings
}
