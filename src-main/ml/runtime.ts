import { availableParallelism } from 'node:os'
import * as ort from 'onnxruntime-node'
import { ONNX_INPUT, ONNX_OUTPUT } from './onnx-export'
import type { Matrix } from './dataset'

/**
 * How every session runs. ONNX Runtime's default thread count came out as one thread here (2
 * cores): a 300-tree model scored 140,000 rows/s with it and 225,000 with two threads. Up to
 * four: past that, small batches (a single compound) spend more on waking threads than they save.
 */
export const SESSION_OPTIONS: ort.InferenceSession.SessionOptions = {
  graphOptimizationLevel: 'all',
  intraOpNumThreads: Math.min(4, availableParallelism()),
}

/**
 * ONNX Runtime sessions, one per model, kept for reuse: creating a session parses and optimises
 * the graph, which costs far more than scoring a batch.
 */
export class OnnxSessions {
  private readonly sessions = new Map<string, Promise<ort.InferenceSession>>()
  constructor(private readonly capacity = 8) {}

  async run(key: string, bytes: () => Uint8Array, m: Matrix): Promise<Float32Array> {
    let session = this.sessions.get(key)
    if (!session) {
      session = ort.InferenceSession.create(bytes(), SESSION_OPTIONS)
      this.sessions.set(key, session)
      session.catch(() => this.sessions.delete(key))
      if (this.sessions.size > this.capacity) {
        const oldest = this.sessions.keys().next().value as string
        const old = this.sessions.get(oldest)
        this.sessions.delete(oldest)
        void old?.then((s) => s.release()).catch(() => undefined)
      }
    }
    return scoreWith(await session, m)
  }

  async close(): Promise<void> {
    const all = [...this.sessions.values()]
    this.sessions.clear()
    await Promise.allSettled(all.map(async (s) => (await s).release()))
  }
}

/** Scores a matrix with a session; an empty matrix gives an empty result without a run. */
export async function scoreWith(session: ort.InferenceSession, m: Matrix): Promise<Float32Array> {
  if (m.n === 0) return new Float32Array(0)
  // onnxruntime-node refuses views of shared memory ("Invalid argument"): hand it a private copy
  const x = m.x.buffer instanceof SharedArrayBuffer ? new Float32Array(m.x) : m.x
  const input = new ort.Tensor('float32', x.subarray(0, m.n * m.f), [m.n, m.f])
  const result = await session.run({ [ONNX_INPUT]: input })
  const output = result[ONNX_OUTPUT]
  if (!output || !(output.data instanceof Float32Array))
    throw new Error(`The model gave no float32 "${ONNX_OUTPUT}" output.`)
  return output.data
}

export async function scoreOnce(bytes: Uint8Array, m: Matrix): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes, SESSION_OPTIONS)
  try {
    return await scoreWith(session, m)
  } finally {
    await session.release()
  }
}
