import { computeDescriptors, loadRdkit, seedFromDescriptors } from '../../chem/rdkit'
import type { TaskName, WorkerTasks } from './tasks'

type Handler<T extends TaskName> = (
  input: WorkerTasks[T]['input'],
  progress: (done: number) => void,
) => Promise<WorkerTasks[T]['output']>

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** What each task does inside a worker thread. */
export const taskHandlers: { [T in TaskName]: Handler<T> } = {
  'chem.seedDescriptors': async ({ smiles, delayMs }, progress) => {
    const rdkit = await loadRdkit()
    const molecules: WorkerTasks['chem.seedDescriptors']['output']['molecules'] = []
    for (const [i, s] of smiles.entries()) {
      if (delayMs > 0) await sleep(delayMs)
      const descriptors = computeDescriptors(rdkit, s)
      molecules.push(
        descriptors
          ? { smiles: s, ...seedFromDescriptors(descriptors) }
          : { smiles: s, error: 'RDKit cannot read this SMILES' },
      )
      progress(i + 1)
    }
    return { rdkitVersion: rdkit.version(), molecules }
  },
}
