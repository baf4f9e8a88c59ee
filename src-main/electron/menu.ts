import { type BrowserWindow, Menu, type MenuItemConstructorOptions, app, dialog } from 'electron'

export function buildMenu(window: () => BrowserWindow | null, openFiles: () => void): Menu {
  const isMac = process.platform === 'darwin'
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Import ChEMBL files…', accelerator: 'CmdOrCtrl+O', click: openFiles },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        {
          label: 'About Assay Workbench',
          click: () => {
            const w = window()
            const options = {
              type: 'info' as const,
              title: 'About Assay Workbench',
              message: `Assay Workbench ${app.getVersion()}`,
              detail: `Electron ${process.versions.electron}, Chromium ${process.versions.chrome}, Node ${process.versions.node}.\nBioactivity data from ChEMBL (EMBL-EBI), CC BY-SA 3.0.`,
            }
            void (w ? dialog.showMessageBox(w, options) : dialog.showMessageBox(options))
          },
        },
      ],
    },
  ]
  return Menu.buildFromTemplate(template)
}
