import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { REPO_ROOT } from './helpers'

/**
 * Pairwise Tanimoto similarities of Morgan fingerprints (radius 2, 2048 bits) computed by RDKit's
 * Python API: the reference the app's own similarity is checked against. Debian ships it as
 * python3-rdkit (.ci/run installs it); set RDKIT_REFERENCE_PYTHON elsewhere.
 */
export function referenceTanimoto(smiles: string[]): (number | null)[][] {
  const python = process.env.RDKIT_REFERENCE_PYTHON ?? '/usr/bin/python3'
  const run = spawnSync(python, [join(REPO_ROOT, 'tests/fixtures/tanimoto-reference.py')], {
    input: JSON.stringify(smiles),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
  if (run.status !== 0)
    throw new Error(
      `${python} could not compute reference similarities (Debian: apt-get install python3-rdkit): ${run.stderr}`,
    )
  return JSON.parse(run.stdout) as (number | null)[][]
}

/**
 * Standardised parents from python3-rdkit 2022.09's MolStandardize: FragmentParent (largest
 * organic fragment) then Uncharger, as canonical SMILES (null where RDKit cannot read one).
 */
export function referenceStandardised(smiles: string[]): (string | null)[] {
  const python = process.env.RDKIT_REFERENCE_PYTHON ?? '/usr/bin/python3'
  const run = spawnSync(python, [join(REPO_ROOT, 'tests/fixtures/standardise-reference.py')], {
    input: JSON.stringify(smiles),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  })
  if (run.status !== 0)
    throw new Error(
      `${python} could not standardise (Debian: apt-get install python3-rdkit): ${run.stderr}`,
    )
  return JSON.parse(run.stdout) as (string | null)[]
}
