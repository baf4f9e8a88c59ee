import type { SelfTestMolecule } from '../../contract'

/**
 * Every task a worker thread can run: its input and output. Inputs and outputs cross threads by
 * structured clone, so they hold plain data and typed arrays only.
 */
export interface WorkerTasks {
  /** RDKit seed descriptors for a few molecules, one progress tick per molecule. */
  'chem.seedDescriptors': {
    input: { smiles: string[]; delayMs: number }
    output: {
      rdkitVersion: string
      molecules: (SelfTestMolecule | { smiles: string; error: string })[]
    }
  }
}

export type TaskName = keyof WorkerTasks

/** Messages from the pool to a worker. */
export interface RunMessage {
  type: 'run'
  taskId: number
  task: TaskName
  input: unknown
}

/** Messages from a worker to the pool. */
export type WorkerMessage =
  | { type: 'progress'; taskId: number; done: number }
  | { type: 'result'; taskId: number; value: unknown }
  | { type: 'error'; taskId: number; message: string }
