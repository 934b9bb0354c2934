import { compileEndpoint } from '../../src/endpointModel'
import type { CompiledEndpoint } from '../../src/endpointModel'

export function endpointOf(mappings: unknown[]): Promise<CompiledEndpoint> {
  return compileEndpoint({ endpointKey: 'test-key', mappings })
}

export function field(name: string, path: string, type: string, required = false) {
  return { name, path, type, required }
}
