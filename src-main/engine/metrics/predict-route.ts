import type { z } from 'zod'
import {
  type ApiCompound,
  type ErrorCode,
  MAX_API_COMPOUNDS,
  WorkbenchError,
  apiPredictInput,
  toErrorData,
} from '../../contract'
import type { EngineContext } from '../context'
import { statement } from '../db/prediction-queries'
import { failure } from '../http/http-helpers'
import type { Candidate } from '../predict/inputs'
import { batchJson, rowJson, singleJson } from '../predict/json-output'
import { type LoadedModel, resolveModel } from '../predict/loaded-model'
import { emptyCandidate, predictCandidates, predictSingle } from '../predict/run'
import { batchRows } from '../predict/store'
import { API_RATE_LIMITS, type RateLimits, RateLimiter } from './rate-limit'

export interface ApiAnswer {
  status: number
  body: unknown
  headers?: Record<string, string>
}

const limiters = new WeakMap<EngineContext, RateLimiter>()

/** The engine's POST /predict rate limiter (API_RATE_LIMITS unless set otherwise). */
export function apiRateLimiter(ctx: EngineContext): RateLimiter {
  let limiter = limiters.get(ctx)
  if (!limiter) limiters.set(ctx, (limiter = new RateLimiter(API_RATE_LIMITS)))
  return limiter
}

/** Other limits for this engine's POST /predict (the serving benchmark's load, a test's burst). */
export function setApiRateLimits(ctx: EngineContext, limits: RateLimits): void {
  limiters.set(ctx, new RateLimiter(limits))
}

const models = new WeakMap<object, Map<string, LoadedModel>>()

/**
 * The model a call names, as `resolveModel` finds it, without reading its whole row (its
 * training set and reference data are large) on every call: a small query says which version
 * and ONNX bytes are meant now, and the model loaded for them is reused. A promotion or a new
 * model changes what the query returns, so it is picked up on the next call.
 */
function apiModel(ctx: EngineContext, version?: string, target?: string): LoadedModel {
  const which = (
    version
      ? statement(ctx.db, 'SELECT version, onnx_sha256 FROM model_versions WHERE version = ?').get(
          version,
        )
      : target
        ? statement(
            ctx.db,
            "SELECT version, onnx_sha256 FROM model_versions WHERE target_chembl_id = ? AND stage = 'production'",
          ).get(target)
        : statement(
            ctx.db,
            "SELECT version, onnx_sha256 FROM model_versions WHERE stage = 'production' ORDER BY promoted_at DESC, id DESC LIMIT 1",
          ).get()
  ) as { version: string; onnx_sha256: string } | undefined
  // none: resolveModel says why, in its own words
  if (!which) return resolveModel(ctx.db, version, target)
  let byKey = models.get(ctx.db)
  if (!byKey) models.set(ctx.db, (byKey = new Map()))
  const key = `${which.version}:${which.onnx_sha256}`
  let model = byKey.get(key)
  if (!model) {
    model = resolveModel(ctx.db, which.version)
    byKey.set(key, model)
  }
  return model
}

function refusal(
  status: number,
  code: ErrorCode,
  message: string,
  headers?: Record<string, string>,
) {
  return { status, body: failure(code, message), headers }
}

/** `compounds[3].features.hba` from zod's path. */
function pathText(path: readonly PropertyKey[]): string {
  let out = ''
  for (const p of path)
    out += typeof p === 'number' ? `[${p}]` : `${out === '' ? '' : '.'}${String(p)}`
  return out || 'body'
}

function at(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value
  for (const p of path) v = v !== null && typeof v === 'object' ? (v as never)[p] : undefined
  return v
}

const plain = (message: string) => message.replace(/^Invalid input: /, '')

/**
 * The first problem of a body, naming the field: `compounds[3].features.hba: HBA must be a whole
 * number from 0 to 50`. A compound is either a SMILES or four features, so of zod's two readings
 * of a wrong compound the one it was meant as (by its keys) is reported.
 */
export function bodyProblem(error: z.ZodError, body: unknown): string {
  const issue = error.issues[0]
  if (!issue) return 'The body does not match the expected form.'
  if (issue.code === 'invalid_union') {
    const compound = at(body, issue.path)
    const where = pathText(issue.path)
    if (compound === null || typeof compound !== 'object' || Array.isArray(compound))
      return `${where}: expected an object with "smiles" or "features"`
    const keys = Object.keys(compound)
    const hasSmiles = keys.includes('smiles')
    const hasFeatures = keys.includes('features')
    if (hasSmiles === hasFeatures)
      return `${where}: give either "smiles" or "features" (mw_freebase, alogp, hba, hbd), ${hasSmiles ? 'not both' : 'found neither'}`
    const branch = issue.errors[hasSmiles ? 0 : 1] ?? []
    const inner = branch[0]
    if (inner) return `${pathText([...issue.path, ...inner.path])}: ${plain(inner.message)}`
    return `${where}: ${plain(issue.message)}`
  }
  if (issue.code === 'unrecognized_keys')
    return `${pathText(issue.path)}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`
  if (issue.code === 'too_big' && issue.path.join('.') === 'compounds')
    return `compounds: at most ${MAX_API_COMPOUNDS.toLocaleString('en')} compounds in one request`
  return `${pathText(issue.path)}: ${plain(issue.message)}`
}

const STATUS_OF: Partial<Record<ErrorCode, number>> = {
  'invalid-input': 400,
  'not-found': 404,
  'no-production-model': 404,
  'database-busy': 503,
  'rate-limited': 429,
}

function candidateOf(c: ApiCompound, i: number): Candidate {
  const candidate = emptyCandidate(i + 1)
  candidate.moleculeId = c.id ?? null
  if ('smiles' in c) candidate.smiles = c.smiles
  else candidate.seed = { ...c.features }
  return candidate
}

/**
 * POST /predict, after the listener has read the body (within MAX_API_BODY_BYTES) and checked the
 * token. One compound answers as `assay predict --json` does; several as its batch summary with
 * the rows. Every call is stored like other predictions, with source 'api'.
 */
export async function handleApiPredict(
  ctx: EngineContext,
  body: string,
  clientKey: string,
): Promise<ApiAnswer> {
  const limiter = apiRateLimiter(ctx)
  const asked = limiter.request(clientKey)
  if (!asked.ok)
    return refusal(429, 'rate-limited', `Too many requests: ${asked.why}. Try again later.`, {
      'Retry-After': String(asked.retryAfterSeconds),
    })
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch (error) {
    return refusal(
      400,
      'invalid-input',
      `The body is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
  const parsed = apiPredictInput.safeParse(json)
  if (!parsed.success) return refusal(400, 'invalid-input', bodyProblem(parsed.error, json))
  const input = parsed.data
  const allowed = limiter.compounds(clientKey, input.compounds.length)
  if (!allowed.ok)
    return refusal(429, 'rate-limited', `Too many compounds: ${allowed.why}. Try again later.`, {
      'Retry-After': String(allowed.retryAfterSeconds),
    })
  try {
    const model = apiModel(ctx, input.model, input.target)
    if (input.compounds.length === 1) {
      const c = input.compounds[0] as ApiCompound
      const { prediction } = await predictSingle(
        ctx,
        'smiles' in c ? { smiles: c.smiles } : { features: c.features },
        'api',
        false,
        model,
      )
      return { status: 200, body: singleJson(prediction) }
    }
    if (model.featureSet !== 'core4' && input.compounds.some((c) => !('smiles' in c)))
      throw new WorkbenchError(
        'invalid-input',
        `Model ${model.row.version} uses RDKit's descriptors (${model.featureSet}); send a SMILES for every compound so they can be computed.`,
      )
    const summary = await predictCandidates(
      ctx,
      model,
      input.compounds.map(candidateOf),
      'api',
      'POST /predict',
    )
    const rows = []
    const total = input.compounds.length
    for (let offset = 0; offset < total; offset += 1000)
      rows.push(
        ...batchRows(ctx.db, {
          batchId: summary.batchId,
          offset,
          limit: 1000,
          sort: 'row',
        }).rows.map(rowJson),
      )
    return { status: 200, body: { ...batchJson(summary), rows } }
  } catch (error) {
    const e = toErrorData(error)
    return refusal(STATUS_OF[e.code] ?? 500, e.code, e.message)
  }
}
