import type { WorkerPool } from '../workers/pool'

/** Drawn once at this size; the SVG scales to any thumbnail or panel without redrawing. */
export const DEPICTION_WIDTH = 300
export const DEPICTION_HEIGHT = 220

/**
 * Drawings kept by structure, most recently used last. A virtual table asks again for the rows it
 * scrolls back to, and the Data screen, a compound's page and a prediction show the same compounds
 * over and over; each drawing costs RDKit a few milliseconds in a worker (behind any import that
 * holds the workers), while an SVG is about 10 KB, so a thousand of them keep about 10 MB. Keyed
 * by the SMILES rather than the compound id: the drawing depends on the structure alone, so a typed
 * SMILES and its stored compound share one, and a compound whose SMILES a later import changed is
 * drawn again rather than shown stale.
 */
const KEEP = 1000
const drawings = new Map<string, Promise<string | null>>()

export function depict(pool: WorkerPool, smiles: string): Promise<string | null> {
  const hit = drawings.get(smiles)
  if (hit) {
    drawings.delete(smiles)
    drawings.set(smiles, hit)
    return hit
  }
  // the promise is kept at once, so a table asking for the same structure twice draws it once
  const drawing = pool
    .run('drawStructure', { smiles, width: DEPICTION_WIDTH, height: DEPICTION_HEIGHT })
    .then((r) => r.svg)
  drawings.set(smiles, drawing)
  // a failure (the engine closing, a worker dying) is not a drawing: the next call tries again
  drawing.catch(() => {
    if (drawings.get(smiles) === drawing) drawings.delete(smiles)
  })
  while (drawings.size > KEEP) drawings.delete(drawings.keys().next().value as string)
  return drawing
}
