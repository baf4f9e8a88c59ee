import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const SCRIPT = fileURLToPath(new URL('./rdkit_descriptors.py', import.meta.url))
const SHARED_DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url))
const DATA_FILES = ['chembl_aromatase_CHEMBL1978_export.csv', 'chembl_ache_CHEMBL220_api_dump.csv']

/** One reference value: a number, an encoded non-finite number, or null when RDKit raised. */
export type ReferenceValue = number | 'NaN' | 'Infinity' | '-Infinity' | null

export interface ReferenceDescriptors {
  rdkit: string
  names: string[]
  molecules: { smiles: string; source: string; values: ReferenceValue[] }[]
  unreadable: string[]
  errors: Record<string, string>
  /** seconds of one plain descList loop over every molecule, when asked for with `time` */
  seconds?: number
  /** the CPU seconds of that loop */
  cpuSeconds?: number
}

export function referencePython(): string {
  return process.env.RDKIT_REFERENCE_PYTHON ?? '/usr/bin/python3'
}

/**
 * RDKit 2022.09's `Descriptors.descList` values for the fixed selection of 1,000 real ChEMBL
 * molecules that tests/reference/rdkit_descriptors.py documents, computed by Python RDKit (Debian
 * python3-rdkit; .ci/run installs it). The answer is cached under the OS temp folder, keyed by the
 * script's text, the Python path and the data files' sizes and times, because Python takes ~10 s.
 */
export function referenceDescriptors(
  options: { perFile?: number; time?: boolean } = {},
): ReferenceDescriptors {
  const perFile = options.perFile ?? 500
  const python = referencePython()
  const args = [SCRIPT, '--count', String(perFile), ...(options.time ? ['--time'] : [])]
  if (options.time) return run(python, args)
  const key = createHash('sha256')
    .update(readFileSync(SCRIPT))
    .update(python)
    .update(String(perFile))
  for (const f of DATA_FILES) {
    const s = statSync(join(SHARED_DATA, f))
    key.update(`${f}:${s.size}:${s.mtimeMs}`)
  }
  const cache = join(tmpdir(), `assay-rdkit-descriptors-${key.digest('hex').slice(0, 16)}.json`)
  if (existsSync(cache)) {
    try {
      return JSON.parse(readFileSync(cache, 'utf8')) as ReferenceDescriptors
    } catch {
      // a torn or foreign file: compute again below
    }
  }
  const result = run(python, args)
  // written aside and renamed, so a parallel reader never sees half a file
  const partial = `${cache}.${process.pid}.tmp`
  writeFileSync(partial, JSON.stringify(result))
  renameSync(partial, cache)
  return result
}

/** The same descList values for SMILES of the caller's choosing (not cached). */
export function referenceDescriptorsFor(smiles: string[]): ReferenceDescriptors {
  return run(referencePython(), [SCRIPT, '--stdin'], JSON.stringify(smiles))
}

function run(python: string, args: string[], input?: string): ReferenceDescriptors {
  const result = spawnSync(python, args, {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    input,
  })
  if (result.status !== 0)
    throw new Error(
      `${python} could not compute reference descriptors (Debian: apt-get install python3-rdkit): ${result.stderr || result.error?.message}`,
    )
  return JSON.parse(result.stdout) as ReferenceDescriptors
}

/** The reference value as a number (NaN for a descriptor that raised). */
export function decodeReference(v: ReferenceValue): number {
  if (v === null || v === 'NaN') return NaN
  if (v === 'Infinity') return Infinity
  if (v === '-Infinity') return -Infinity
  return v
}

/**
 * The agreement rule of the descriptor goal: within 1e-6 relative, with an absolute floor of 1e-6
 * for values near zero; NaN agrees with NaN and an infinity with the same infinity. A descriptor
 * we leave out (undefined) never agrees.
 */
export function agrees(ours: number | undefined, reference: ReferenceValue): boolean {
  if (ours === undefined) return false
  const b = decodeReference(reference)
  if (Number.isNaN(b)) return Number.isNaN(ours)
  if (!Number.isFinite(b)) return ours === b
  return Number.isFinite(ours) && Math.abs(ours - b) <= 1e-6 * Math.max(1, Math.abs(b))
}
