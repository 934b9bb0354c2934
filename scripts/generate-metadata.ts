/**
 * The `metadata.json` that Segment's action-destinations monorepo keeps in every cloud destination's folder,
 * byte for byte as its `./bin/run generate:metadata-payload` writes it (packages/cli/src/commands/generate/
 * metadata-payload.ts: `generatePublicMetadata`, then `JSON.stringify(payload, null, 2) + '\n'`; its prettier
 * pass skips the file, which the monorepo's .prettierignore lists). The monorepo's CI fails when the committed
 * file differs from the generator's output, so this is a faithful port for cloud destinations: same keys, same
 * order, same defaults. `npm run types` writes it next to the generated types.
 */
import { hookTypeStrings } from '@segment/actions-core/destination-kit'
import type { DestinationDefinition } from '@segment/actions-core'

type Definition = Record<string, unknown>
type Condition = { conditions: Array<{ fieldKey: string; operator: string; value: unknown }> }

const asRecord = (value: unknown): Record<string, Definition> => (value ?? {}) as Record<string, Definition>
const isFunction = (value: unknown) => typeof value === 'function'

function required(field: Definition): boolean | Condition {
  return typeof field.required === 'object' && field.required !== null
    ? (field.required as Condition)
    : field.required === true
}

function choices(value: unknown): Array<{ label: string; value: unknown }> | null {
  if (!Array.isArray(value) || value.length === 0) return null
  return value.map((c: unknown) =>
    typeof c === 'object' && c !== null && 'label' in c && 'value' in c
      ? (c as { label: string; value: unknown })
      : { label: String(c), value: c }
  )
}

/** The keys every serialized field starts with, in the generator's order. */
function fieldBasics(field: Definition) {
  return {
    label: field.label,
    description: field.description,
    type: field.type,
    required: required(field),
    multiple: field.multiple ?? false
  }
}

function authField(field: Definition) {
  return {
    ...fieldBasics(field),
    choices: choices(field.choices),
    default: field.default ?? null,
    depends_on: field.depends_on ?? null
  }
}

const authFields = (fields: unknown) =>
  Object.fromEntries(Object.entries(asRecord(fields)).map(([key, field]) => [key, authField(field)]))

function actionField(field: Definition): Record<string, unknown> {
  const properties =
    field.type === 'object' && field.properties && typeof field.properties === 'object'
      ? actionFields(field.properties)
      : null
  return {
    ...fieldBasics(field),
    allowNull: field.allowNull ?? false,
    dynamic: isFunction(field.dynamic) ? true : field.dynamic ?? false,
    default: field.default ?? null,
    choices: choices(field.choices),
    placeholder: field.placeholder ?? null,
    properties,
    category: field.category ?? null,
    depends_on: field.depends_on ?? null,
    readOnly: field.readOnly ?? null,
    hidden: field.unsafe_hidden ?? null,
    minimum: field.minimum ?? null,
    maximum: field.maximum ?? null,
    defaultObjectUI: field.defaultObjectUI ?? null,
    disabledInputMethods: field.disabledInputMethods ?? null,
    displayMode: field.displayMode ?? null,
    format: field.format ?? null,
    additionalProperties: field.additionalProperties ?? false
  }
}

const actionFields = (fields: unknown) =>
  Object.fromEntries(Object.entries(asRecord(fields)).map(([key, field]) => [key, actionField(field)]))

function syncMode(action: Definition) {
  const mode = action.syncMode as Definition | undefined
  if (!mode) return null
  return {
    default: mode.default,
    label: mode.label ?? 'Sync Mode',
    description: mode.description ?? '',
    choices: ((mode.choices ?? []) as Array<{ value: string; label: string }>).map((c) => ({
      value: c.value,
      label: c.label
    }))
  }
}

function hooks(action: Definition) {
  const known: readonly string[] = hookTypeStrings
  const entries = Object.entries(asRecord(action.hooks))
    .filter(([key]) => known.includes(key))
    .map(([key, hook]) => [
      key,
      {
        label: hook.label ?? key,
        description: hook.description ?? '',
        inputFields: actionFields(hook.inputFields),
        outputFields: actionFields(hook.outputTypes ?? hook.outputFields)
      }
    ])
  return entries.length > 0 ? Object.fromEntries(entries) : null
}

function dynamicFields(action: Definition) {
  const entries = Object.entries((action.dynamicFields ?? {}) as Record<string, unknown>).flatMap(([key, dynamic]) => {
    if (typeof dynamic !== 'object' || dynamic === null) return []
    const keys = Object.keys(dynamic).filter((k) => k === '__keys__' || k === '__values__')
    return keys.length > 0 ? [[key, keys]] : []
  })
  return entries.length > 0 ? Object.fromEntries(entries) : null
}

function action(key: string, definition: Definition) {
  return {
    title: definition.title ?? key,
    description: definition.description ?? '',
    platform: definition.platform === 'web' ? 'web' : 'cloud',
    defaultSubscription: definition.defaultSubscription ?? null,
    hidden: definition.hidden ?? false,
    hasPerformBatch: isFunction(definition.performBatch),
    syncMode: syncMode(definition),
    hooks: hooks(definition),
    dynamicFields: dynamicFields(definition),
    fields: actionFields(definition.fields)
  }
}

function audienceConfig(definition: Definition) {
  const config = definition.audienceConfig as Definition | undefined
  if (!config) return null
  const mode = config.mode as { type: string; full_audience_sync?: boolean }
  return {
    mode:
      mode.type === 'synced'
        ? { type: 'synced', full_audience_sync: mode.full_audience_sync ?? false }
        : { type: 'realtime' },
    audienceFields: authFields(definition.audienceFields),
    supportsAudienceFunctions: isFunction(config.createAudience) && isFunction(config.getAudience)
  }
}

/** The text of metadata.json for a cloud destination whose folder is `directory`. */
export function metadataJson(definition: DestinationDefinition<unknown>, directory: string): string {
  const d = definition as unknown as Definition
  const authentication = d.authentication as Definition | undefined
  const payload = {
    slug: d.slug ?? directory,
    name: d.name,
    mode: d.mode ?? 'cloud',
    description: d.description,
    authentication: authentication
      ? { scheme: authentication.scheme ?? 'custom', fields: authFields(authentication.fields) }
      : null,
    audienceConfig: audienceConfig(d),
    actions: Object.fromEntries(Object.entries(asRecord(d.actions)).map(([key, a]) => [key, action(key, a)])),
    presets: ((d.presets ?? []) as Definition[]).map((preset) => ({
      name: preset.name,
      type: preset.type,
      partnerAction: preset.partnerAction,
      subscribe: preset.subscribe,
      mapping: preset.mapping ?? {},
      eventSlug: preset.eventSlug ?? null
    }))
  }
  return JSON.stringify(payload, null, 2) + '\n'
}
