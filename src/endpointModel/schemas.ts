import type { EndpointFieldSpec, EndpointSpec, EventMappingSpec, FieldType } from './types'

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

/**
 * The keys of the items of a predefined schema's array fields, and their types: the Conversion schema's
 * Products are objects whose ID, URL, Quantity, Price and Title are Products.ID, Products.URL and so on.
 */
export const PREDEFINED_ITEM_FIELDS: Record<string, Record<string, Record<string, FieldType>>> = {
  Conversion: { Products: { ID: 'string', URL: 'string', Quantity: 'number', Price: 'number', Title: 'string' } }
}

/** The type of each key (lower case) of an array field's items. */
export type ItemTypes = Map<string, FieldType>

const ITEM_TYPES = new WeakMap<EndpointFieldSpec, ItemTypes | undefined>()

/**
 * What the items of an array field hold, when the mapping says: its `Name.Key` fields (Products.Price, type
 * number), else its predefined schema's. Undefined when nothing is known, so nothing is checked. Kept per field
 * spec: the same mappings are asked for every event.
 */
export function itemTypesOf(mapping: EventMappingSpec, field: EndpointFieldSpec): ItemTypes | undefined {
  if (field.type !== 'array') return undefined
  if (ITEM_TYPES.has(field)) return ITEM_TYPES.get(field)
  const predefined = predefinedOf(mapping.schema)
  const known = predefined ? PREDEFINED_ITEM_FIELDS[predefined] : undefined
  const defaults = Object.entries(known ?? {}).find(([name]) => same(name, field.name))?.[1] ?? {}
  const types: ItemTypes = new Map(Object.entries(defaults).map(([key, type]) => [key.toLowerCase(), type]))
  const prefix = `${field.name.toLowerCase()}.`
  for (const sibling of mapping.fields)
    if (sibling.name.toLowerCase().startsWith(prefix) && sibling.type !== 'any')
      types.set(sibling.name.slice(prefix.length).toLowerCase(), sibling.type)
  const result = types.size > 0 ? types : undefined
  ITEM_TYPES.set(field, result)
  return result
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
