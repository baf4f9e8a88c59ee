/**
 * A compound's structure. This stand-in shows the SMILES as text (React escapes it) in a box of the
 * structure's size, until the RDKit depiction is available.
 */
export function StructureImage({
  compoundId,
  smiles,
  size = 120,
  title,
}: {
  compoundId?: number
  smiles?: string | null
  size?: number
  title?: string
}) {
  return (
    <div
      className="structure-image structure-placeholder mono"
      style={{ width: size, minHeight: size / 2 }}
      title={title ?? smiles ?? undefined}
      data-compound-id={compoundId}
      role="img"
      aria-label={title ?? (smiles ? `Structure ${smiles}` : 'No structure')}
    >
      {smiles ?? 'no structure'}
    </div>
  )
}
