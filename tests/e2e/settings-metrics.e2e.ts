import { type Server, createServer } from 'node:net'
import { collectErrors, expect, test } from './fixtures'

const SHOTS = '/work/shots/metrics'

/** Listens on a free loopback port and keeps it (to make it busy), or frees it (to use it). */
function listenFree(): Promise<{ port: number; server: Server }> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () =>
      resolve({ port: (server.address() as { port: number }).port, server }),
    )
  })
}
const close = (server: Server) => new Promise((r) => server.close(r))

test('Team monitoring is switched on in Settings, serves /health, shows in the status bar, and off again', async ({
  page,
  webHost,
}) => {
  const errors = collectErrors(page)
  const free = await listenFree()
  const port = free.port
  await close(free.server)

  await page.goto(webHost.url)
  await page.getByRole('button', { name: 'Settings' }).click()
  const card = page.getByTestId('monitoring-card')
  await expect(card.getByRole('heading', { name: 'Team monitoring' })).toBeVisible()
  const enabled = card.getByTestId('metrics-enabled')
  await expect(enabled).not.toBeChecked()
  await expect(card.getByTestId('metrics-predict')).not.toBeChecked()
  await expect(card.getByTestId('metrics-port')).toHaveValue('9477')
  await expect(card.getByTestId('metrics-bind')).toHaveValue('127.0.0.1')
  await expect(card.getByTestId('metrics-status')).toHaveText('Off: nothing listens.')
  await expect(card.getByTestId('metrics-bind-warning')).toHaveCount(0)
  // the token is masked: only its last four characters show
  await expect(card.getByTestId('metrics-token')).toContainText('••••')

  const portField = card.getByTestId('metrics-port')
  await portField.fill(String(port))
  await portField.press('Enter')
  await expect(portField).toHaveValue(String(port))
  // the switches follow the saved setting, so they change once it is saved: click, then wait
  await enabled.click()
  await expect(enabled).toBeChecked()
  await expect(card.getByTestId('metrics-status')).toContainText(
    `Listening on http://127.0.0.1:${port} · not scraped yet`,
  )
  await expect(page.getByTestId('metrics-serving')).toHaveText(`metrics on :${port}`)

  const health = await fetch(`http://127.0.0.1:${port}/health`)
  expect(health.status).toBe(200)
  expect(await health.json()).toMatchObject({ status: 'ok' })
  const metrics = await fetch(`http://127.0.0.1:${port}/metrics`)
  expect(metrics.status).toBe(200)
  // the last scrape shows once the card reads the status again (a setting change does)
  await card.getByTestId('metrics-predict').click()
  await expect(card.getByTestId('metrics-predict')).toBeChecked()
  await expect(card.getByTestId('metrics-status')).toContainText('last scrape at')
  await card.screenshot({ path: `${SHOTS}/monitoring-on.png` })
  await page.screenshot({ path: `${SHOTS}/settings-monitoring-on.png`, fullPage: true })

  // the token shown is the one /predict takes; Renew (after a confirm) replaces it at once
  const tokenText = card.getByTestId('metrics-token')
  await card.getByRole('button', { name: 'Show' }).click()
  await expect(tokenText).toHaveText(/^[A-Za-z0-9_-]{43}$/)
  const first = (await tokenText.textContent()) ?? ''
  const predict = (token: string) =>
    fetch(`http://127.0.0.1:${port}/predict`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{"compounds":[{"smiles":"CCO"}]}',
    }).then((r) => r.status)
  // this data folder has no model yet: past the token, the answer is "no production model"
  expect(await predict(first)).toBe(404)
  expect(await predict(`${first}x`)).toBe(401)
  const confirms: string[] = []
  page.once('dialog', (d) => {
    confirms.push(d.message())
    void d.accept()
  })
  await card.getByTestId('metrics-renew').click()
  await expect(tokenText).toContainText('•')
  expect(confirms[0]).toContain('The current one stops working at once')
  await card.getByRole('button', { name: 'Show' }).click()
  await expect(tokenText).not.toHaveText(first)
  const second = (await tokenText.textContent()) ?? ''
  expect(second).toMatch(/^[A-Za-z0-9_-]{43}$/)
  expect(await predict(first)).toBe(401)
  expect(await predict(second)).toBe(404)
  await card.getByRole('button', { name: 'Hide' }).click()

  // an address other computers reach warns in plain words (typed, not saved)
  const bind = card.getByTestId('metrics-bind')
  await bind.fill('0.0.0.0')
  await expect(card.getByTestId('metrics-bind-warning')).toHaveText(
    'Other computers on your network can reach this address; they need the token.',
  )
  await card.screenshot({ path: `${SHOTS}/monitoring-bind-warning.png` })
  await bind.fill('127.0.0.1')
  await bind.press('Enter')

  await card.getByTestId('metrics-predict').click()
  await expect(card.getByTestId('metrics-predict')).not.toBeChecked()
  await enabled.click()
  await expect(card.getByTestId('metrics-status')).toHaveText('Off: nothing listens.')
  await expect(page.getByTestId('metrics-serving')).toHaveCount(0)
  await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow()
  expect(errors).toEqual([])
})

test('a busy port gives a clear message and the switch stays off', async ({ page, webHost }) => {
  const busy = await listenFree()
  try {
    await page.goto(webHost.url)
    await page.getByRole('button', { name: 'Settings' }).click()
    const card = page.getByTestId('monitoring-card')
    const portField = card.getByTestId('metrics-port')
    await portField.fill(String(busy.port))
    await portField.press('Enter')
    await expect(portField).toHaveValue(String(busy.port))
    // click, not check(): the switch is meant to spring back to off
    await card.getByTestId('metrics-enabled').click()
    await expect(card.getByTestId('metrics-status')).toHaveText(
      `Port ${busy.port} is in use by another program, so the monitoring endpoint stays off. Choose another port.`,
    )
    await expect(card.getByTestId('metrics-enabled')).not.toBeChecked()
    await expect(page.getByTestId('metrics-serving')).toHaveCount(0)
    await card.screenshot({ path: `${SHOTS}/monitoring-busy-port.png` })
  } finally {
    await close(busy.server)
  }
})
