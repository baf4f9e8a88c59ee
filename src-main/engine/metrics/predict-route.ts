import type { EngineContext } from '../context'

export interface ApiAnswer {
  status: number
  body: unknown
  headers?: Record<string, string>
}

/**
 * POST /predict, its body already read within MAX_API_BODY_BYTES and the token already checked.
 * Not served yet: it answers 501 until scoring through the endpoint is built.
 */
export function handleApiPredict(
  _ctx: EngineContext,
  _body: string,
  _clientKey: string,
): Promise<ApiAnswer> {
  return Promise.resolve({
    status: 501,
    body: {
      ok: false,
      error: {
        code: 'not-allowed',
        message: 'Predictions through the endpoint are not served yet.',
      },
    },
  })
}
