import { parentPort } from 'node:worker_threads'
import { computeDescriptors2D } from '../../src-main/chem/descriptors'
import { loadRdkit } from '../../src-main/chem/rdkit'

// One bench worker: loads RDKit, says so, then computes the full 2D set for the SMILES it is sent
// and answers with the time the loop took and how many values it produced.
const port = parentPort
if (!port) throw new Error('descriptors-bench-worker must run in a worker thread')
const rdkit = await loadRdkit()
port.on('message', (smiles: string[]) => {
  const t0 = performance.now()
  let values = 0
  let failed = 0
  for (const s of smiles) {
    const mol = rdkit.get_mol(s)
    try {
      if (mol?.is_valid()) values += Object.keys(computeDescriptors2D(rdkit, mol)).length
      else failed++
    } finally {
      mol?.delete()
    }
  }
  port.postMessage({ ms: performance.now() - t0, values, failed })
})
port.postMessage('ready')
