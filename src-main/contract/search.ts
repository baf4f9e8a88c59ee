import { z } from 'zod'

/** A structure query as typed: SMILES for similarity, SMILES or SMARTS for substructure. */
const query = z
  .string()
  .trim()
  .min(1, 'Type a SMILES or SMARTS query')
  .max(2000, 'That query is too long (at most 2,000 characters)')

const limit = z.number().int().min(1).max(10_000).default(500)
const target = z.string().trim().min(1).max(64).optional()

/**
 * Tanimoto similarity of a query SMILES to every stored compound's Morgan fingerprint (radius 2,
 * 2048 bits, as the importer stores them); hits at or above `threshold`, most similar first.
 */
export const searchSimilarityInput = z
  .object({
    smiles: query,
    /** the lowest Tanimoto similarity kept, 0..1 */
    threshold: z.number().min(0).max(1).default(0.7),
    /** hits returned (the count of all hits is given too) */
    limit,
    /** only compounds with a measurement on this target (ChEMBL target id) */
    target,
  })
  .strict()

/** Compounds whose stored structure contains the query (RDKit substructure match). */
export const searchSubstructureInput = z
  .object({
    query,
    /** how to read the query: SMARTS (RDKit's query language) or a SMILES fragment */
    syntax: z.enum(['smarts', 'smiles']).default('smarts'),
    limit,
    target,
  })
  .strict()

/** One compound a search found. */
export interface SearchHit {
  compoundId: number
  chemblId: string | null
  name: string | null
  smiles: string | null
  /** Tanimoto similarity to the query (similarity searches only) */
  similarity?: number
  /** measurements of this compound in the database */
  activities: number
  /** the highest pActivity among its usable measurements, or null */
  bestPActivity: number | null
}

/** A search job's result. */
export interface SearchResult {
  mode: 'similarity' | 'substructure'
  /** the query as typed */
  query: string
  /** RDKit's canonical form of the query (SMILES, or SMARTS for a SMARTS query) */
  canonical: string
  /** similarity searches: the threshold used */
  threshold?: number
  target?: string
  /** hits, most similar first (substructure: in compound order); at most `limit` */
  hits: SearchHit[]
  /** every hit, including those beyond `limit` */
  totalHits: number
  /** compounds compared with the query */
  scanned: number
  /** compounds in scope (all, or those measured on `target`) */
  total: number
  /** compounds not compared: no stored fingerprint (similarity) or no SMILES (substructure) */
  noStructure: number
  /** compounds whose stored SMILES RDKit could not read (substructure) */
  unreadable: number
  /** more hits than `limit` */
  truncated: boolean
  workers: number
  seconds: number
}
