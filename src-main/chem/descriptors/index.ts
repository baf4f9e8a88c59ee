import type { Mol } from '@rdkit/rdkit'
import { molGraph } from '../mol-graph'
import type { RDKit } from '../rdkit'
import { countDescriptors } from './counts'
import { fragmentCounts } from './fragments'
import { graphFamilyDescriptors } from './graph-families'
import { morganDensities } from './morgan-density'
import { qed } from './qed'
import { target } from './smarts'
import { topologyDescriptors } from './topology'

/**
 * RDKit's 2D descriptor set, named and ordered as `rdkit.Chem.Descriptors.descList` (RDKit
 * 2022.09, 208 descriptors). This is what "physchem" means: the full set a Python user gets from
 * `CalcMolDescriptors`.
 */
export const DESCRIPTORS_2D = [
  'MaxEStateIndex',
  'MinEStateIndex',
  'MaxAbsEStateIndex',
  'MinAbsEStateIndex',
  'qed',
  'MolWt',
  'HeavyAtomMolWt',
  'ExactMolWt',
  'NumValenceElectrons',
  'NumRadicalElectrons',
  'MaxPartialCharge',
  'MinPartialCharge',
  'MaxAbsPartialCharge',
  'MinAbsPartialCharge',
  'FpDensityMorgan1',
  'FpDensityMorgan2',
  'FpDensityMorgan3',
  'BCUT2D_MWHI',
  'BCUT2D_MWLOW',
  'BCUT2D_CHGHI',
  'BCUT2D_CHGLO',
  'BCUT2D_LOGPHI',
  'BCUT2D_LOGPLOW',
  'BCUT2D_MRHI',
  'BCUT2D_MRLOW',
  'BalabanJ',
  'BertzCT',
  'Chi0',
  'Chi0n',
  'Chi0v',
  'Chi1',
  'Chi1n',
  'Chi1v',
  'Chi2n',
  'Chi2v',
  'Chi3n',
  'Chi3v',
  'Chi4n',
  'Chi4v',
  'HallKierAlpha',
  'Ipc',
  'Kappa1',
  'Kappa2',
  'Kappa3',
  'LabuteASA',
  'PEOE_VSA1',
  'PEOE_VSA10',
  'PEOE_VSA11',
  'PEOE_VSA12',
  'PEOE_VSA13',
  'PEOE_VSA14',
  'PEOE_VSA2',
  'PEOE_VSA3',
  'PEOE_VSA4',
  'PEOE_VSA5',
  'PEOE_VSA6',
  'PEOE_VSA7',
  'PEOE_VSA8',
  'PEOE_VSA9',
  'SMR_VSA1',
  'SMR_VSA10',
  'SMR_VSA2',
  'SMR_VSA3',
  'SMR_VSA4',
  'SMR_VSA5',
  'SMR_VSA6',
  'SMR_VSA7',
  'SMR_VSA8',
  'SMR_VSA9',
  'SlogP_VSA1',
  'SlogP_VSA10',
  'SlogP_VSA11',
  'SlogP_VSA12',
  'SlogP_VSA2',
  'SlogP_VSA3',
  'SlogP_VSA4',
  'SlogP_VSA5',
  'SlogP_VSA6',
  'SlogP_VSA7',
  'SlogP_VSA8',
  'SlogP_VSA9',
  'TPSA',
  'EState_VSA1',
  'EState_VSA10',
  'EState_VSA11',
  'EState_VSA2',
  'EState_VSA3',
  'EState_VSA4',
  'EState_VSA5',
  'EState_VSA6',
  'EState_VSA7',
  'EState_VSA8',
  'EState_VSA9',
  'VSA_EState1',
  'VSA_EState10',
  'VSA_EState2',
  'VSA_EState3',
  'VSA_EState4',
  'VSA_EState5',
  'VSA_EState6',
  'VSA_EState7',
  'VSA_EState8',
  'VSA_EState9',
  'FractionCSP3',
  'HeavyAtomCount',
  'NHOHCount',
  'NOCount',
  'NumAliphaticCarbocycles',
  'NumAliphaticHeterocycles',
  'NumAliphaticRings',
  'NumAromaticCarbocycles',
  'NumAromaticHeterocycles',
  'NumAromaticRings',
  'NumHAcceptors',
  'NumHDonors',
  'NumHeteroatoms',
  'NumRotatableBonds',
  'NumSaturatedCarbocycles',
  'NumSaturatedHeterocycles',
  'NumSaturatedRings',
  'RingCount',
  'MolLogP',
  'MolMR',
  'fr_Al_COO',
  'fr_Al_OH',
  'fr_Al_OH_noTert',
  'fr_ArN',
  'fr_Ar_COO',
  'fr_Ar_N',
  'fr_Ar_NH',
  'fr_Ar_OH',
  'fr_COO',
  'fr_COO2',
  'fr_C_O',
  'fr_C_O_noCOO',
  'fr_C_S',
  'fr_HOCCN',
  'fr_Imine',
  'fr_NH0',
  'fr_NH1',
  'fr_NH2',
  'fr_N_O',
  'fr_Ndealkylation1',
  'fr_Ndealkylation2',
  'fr_Nhpyrrole',
  'fr_SH',
  'fr_aldehyde',
  'fr_alkyl_carbamate',
  'fr_alkyl_halide',
  'fr_allylic_oxid',
  'fr_amide',
  'fr_amidine',
  'fr_aniline',
  'fr_aryl_methyl',
  'fr_azide',
  'fr_azo',
  'fr_barbitur',
  'fr_benzene',
  'fr_benzodiazepine',
  'fr_bicyclic',
  'fr_diazo',
  'fr_dihydropyridine',
  'fr_epoxide',
  'fr_ester',
  'fr_ether',
  'fr_furan',
  'fr_guanido',
  'fr_halogen',
  'fr_hdrzine',
  'fr_hdrzone',
  'fr_imidazole',
  'fr_imide',
  'fr_isocyan',
  'fr_isothiocyan',
  'fr_ketone',
  'fr_ketone_Topliss',
  'fr_lactam',
  'fr_lactone',
  'fr_methoxy',
  'fr_morpholine',
  'fr_nitrile',
  'fr_nitro',
  'fr_nitro_arom',
  'fr_nitro_arom_nonortho',
  'fr_nitroso',
  'fr_oxazole',
  'fr_oxime',
  'fr_para_hydroxylation',
  'fr_phenol',
  'fr_phenol_noOrthoHbond',
  'fr_phos_acid',
  'fr_phos_ester',
  'fr_piperdine',
  'fr_piperzine',
  'fr_priamide',
  'fr_prisulfonamd',
  'fr_pyridine',
  'fr_quatN',
  'fr_sulfide',
  'fr_sulfonamd',
  'fr_sulfone',
  'fr_term_acetylene',
  'fr_tetrazole',
  'fr_thiazole',
  'fr_thiocyan',
  'fr_thiophene',
  'fr_unbrch_alkane',
  'fr_urea',
] as const

export type Descriptor2DName = (typeof DESCRIPTORS_2D)[number]

/**
 * MinimalLib's `get_descriptors` names for the descriptors it computes as RDKit 2022.09's descList
 * defines them, each checked on 1,000 ChEMBL molecules (tests/integration/descriptors-2d.test.ts).
 * Left out on purpose: `NumHBA` (the bundled 2026.09 build no longer counts N-substituted aromatic
 * nitrogens; NumHAcceptors is matched with 2022.09's SMARTS instead).
 */
const FROM_MINIMALLIB: Partial<Record<Descriptor2DName, string>> = {
  MolWt: 'amw',
  ExactMolWt: 'exactmw',
  TPSA: 'tpsa',
  LabuteASA: 'labuteASA',
  MolLogP: 'CrippenClogP',
  MolMR: 'CrippenMR',
  Chi0v: 'chi0v',
  Chi1v: 'chi1v',
  Chi2v: 'chi2v',
  Chi3v: 'chi3v',
  Chi4v: 'chi4v',
  Chi0n: 'chi0n',
  Chi1n: 'chi1n',
  Chi2n: 'chi2n',
  Chi3n: 'chi3n',
  Chi4n: 'chi4n',
  HallKierAlpha: 'hallKierAlpha',
  Kappa1: 'kappa1',
  Kappa2: 'kappa2',
  Kappa3: 'kappa3',
  FractionCSP3: 'FractionCSP3',
  HeavyAtomCount: 'NumHeavyAtoms',
  // Lipinski.py: NOCount is CalcNumLipinskiHBA, NHOHCount CalcNumLipinskiHBD
  NOCount: 'lipinskiHBA',
  NHOHCount: 'lipinskiHBD',
  NumHDonors: 'NumHBD',
  NumHeteroatoms: 'NumHeteroatoms',
  NumRotatableBonds: 'NumRotatableBonds',
  RingCount: 'NumRings',
  NumAromaticRings: 'NumAromaticRings',
  NumAliphaticRings: 'NumAliphaticRings',
  NumSaturatedRings: 'NumSaturatedRings',
  NumAromaticHeterocycles: 'NumAromaticHeterocycles',
  NumAliphaticHeterocycles: 'NumAliphaticHeterocycles',
  NumSaturatedHeterocycles: 'NumSaturatedHeterocycles',
}

/**
 * The 2D descriptors of one RDKit molecule, by descList name. A descriptor this build cannot
 * compute is left out (not NaN), so callers can tell "missing" from "computed".
 */
export function computeDescriptors2D(
  rdkit: RDKit,
  mol: Mol,
): Partial<Record<Descriptor2DName, number>> {
  const minimal = JSON.parse(mol.get_descriptors()) as Record<string, number>
  const out: Partial<Record<Descriptor2DName, number>> = {}
  for (const [name, key] of Object.entries(FROM_MINIMALLIB) as [Descriptor2DName, string][]) {
    const v = minimal[key]
    if (typeof v === 'number') out[name] = v
  }
  // Lipinski.cpp (2022.09): a ring is a carbocycle when every ring atom is carbon, so each
  // carbocycle count is the ring count of its kind less the heterocycles of that kind.
  const carbocycles = [
    ['NumAromaticCarbocycles', 'NumAromaticRings', 'NumAromaticHeterocycles'],
    ['NumAliphaticCarbocycles', 'NumAliphaticRings', 'NumAliphaticHeterocycles'],
    ['NumSaturatedCarbocycles', 'NumSaturatedRings', 'NumSaturatedHeterocycles'],
  ] as const
  for (const [name, rings, hetero] of carbocycles) {
    const r = out[rings]
    const h = out[hetero]
    if (r !== undefined && h !== undefined) out[name] = r - h
  }

  const graph = molGraph(mol)
  const patterns = target(mol, graph)
  Object.assign(out, topologyDescriptors(graph), morganDensities(graph))
  if (out.MolWt !== undefined)
    Object.assign(out, countDescriptors(rdkit, patterns, graph, out.MolWt))
  Object.assign(out, fragmentCounts(rdkit, patterns))
  const { MolWt, MolLogP, NumHDonors, TPSA, NumRotatableBonds } = out
  if (
    MolWt !== undefined &&
    MolLogP !== undefined &&
    NumHDonors !== undefined &&
    TPSA !== undefined &&
    NumRotatableBonds !== undefined
  )
    out.qed = qed(rdkit, patterns, graph, {
      MW: MolWt,
      ALOGP: MolLogP,
      HBD: NumHDonors,
      PSA: TPSA,
      ROTB: NumRotatableBonds,
    })
  // Gasteiger, Crippen, Labute, EState and BCUT2D families (graph-families.ts)
  for (const [name, v] of Object.entries(graphFamilyDescriptors(rdkit, mol, graph)))
    out[name as Descriptor2DName] = v
  return out
}
