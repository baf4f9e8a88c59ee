import onnxProto from 'onnx-proto'
import type { LinearModel, Model, TreeEnsemble } from './model'

const { onnx } = onnxProto
type Attr = InstanceType<typeof onnx.AttributeProto>
const A = onnx.AttributeProto.AttributeType

export const ONNX_INPUT = 'features'
export const ONNX_OUTPUT = 'p_activity'
export const IR_VERSION = 8
export const ML_OPSET = 3
export const DEFAULT_OPSET = 13

const text = new TextEncoder()
const ints = (name: string, v: ArrayLike<number>): Attr =>
  onnx.AttributeProto.create({ name, type: A.INTS, ints: Array.from(v) })
const floats = (name: string, v: ArrayLike<number>): Attr =>
  onnx.AttributeProto.create({ name, type: A.FLOATS, floats: Array.from(v, Math.fround) })
const str = (name: string, v: string): Attr =>
  onnx.AttributeProto.create({ name, type: A.STRING, s: text.encode(v) })
const strs = (name: string, v: string[]): Attr =>
  onnx.AttributeProto.create({ name, type: A.STRINGS, strings: v.map((s) => text.encode(s)) })

/**
 * A tree ensemble as one `ai.onnx.ml` TreeEnsembleRegressor node (DESIGN.md section 6): every node
 * listed (leaves as LEAF), ids restarting at 0 per tree, root first, true branch = left = `x <= t`,
 * missing values following `missingLeft`, one target entry per leaf, base value = the start.
 */
function treeNode(model: TreeEnsemble) {
  const treeIds: number[] = []
  const nodeIds: number[] = []
  const featureIds: number[] = []
  const modes: string[] = []
  const values: number[] = []
  const trueIds: number[] = []
  const falseIds: number[] = []
  const missingTrue: number[] = []
  const targetTree: number[] = []
  const targetNode: number[] = []
  const targetWeight: number[] = []
  model.trees.forEach((tree, t) => {
    for (let node = 0; node < tree.left.length; node++) {
      const leaf = tree.left[node] === -1
      treeIds.push(t)
      nodeIds.push(node)
      featureIds.push(leaf ? 0 : tree.feature[node]!)
      modes.push(leaf ? 'LEAF' : 'BRANCH_LEQ')
      values.push(leaf ? 0 : tree.threshold[node]!)
      trueIds.push(leaf ? 0 : tree.left[node]!)
      falseIds.push(leaf ? 0 : tree.right[node]!)
      missingTrue.push(leaf ? 0 : tree.missingLeft[node]!)
      if (leaf) {
        targetTree.push(t)
        targetNode.push(node)
        targetWeight.push(tree.value[node]!)
      }
    }
  })
  const attribute = [
    str('aggregate_function', 'SUM'),
    floats('base_values', [model.base]),
    onnx.AttributeProto.create({ name: 'n_targets', type: A.INT, i: 1 }),
    ints('nodes_falsenodeids', falseIds),
    ints('nodes_featureids', featureIds),
    ints('nodes_missing_value_tracks_true', missingTrue),
    strs('nodes_modes', modes),
    ints('nodes_nodeids', nodeIds),
    ints('nodes_treeids', treeIds),
    ints('nodes_truenodeids', trueIds),
    floats('nodes_values', values),
    str('post_transform', 'NONE'),
    ints('target_ids', new Array<number>(targetNode.length).fill(0)),
    ints('target_nodeids', targetNode),
    ints('target_treeids', targetTree),
    floats('target_weights', targetWeight),
  ]
  return {
    nodes: [
      onnx.NodeProto.create({
        opType: 'TreeEnsembleRegressor',
        domain: 'ai.onnx.ml',
        name: 'trees',
        input: [ONNX_INPUT],
        output: [ONNX_OUTPUT],
        attribute,
      }),
    ],
    initializer: [],
  }
}

function tensor(name: string, dims: number[], values: ArrayLike<number>) {
  return onnx.TensorProto.create({
    name,
    dims,
    dataType: onnx.TensorProto.DataType.FLOAT,
    floatData: Array.from(values, Math.fround),
  })
}

/** Ridge as standard operators: impute missing with the mean, standardise, MatMul, Add. */
function linearNodes(model: LinearModel) {
  const f = model.f
  const node = (opType: string, input: string[], output: string) =>
    onnx.NodeProto.create({ opType, input, output: [output], name: output })
  return {
    nodes: [
      node('IsNaN', [ONNX_INPUT], 'is_missing'),
      node('Where', ['is_missing', 'mean', ONNX_INPUT], 'imputed'),
      node('Sub', ['imputed', 'mean'], 'centred'),
      node('Div', ['centred', 'scale'], 'standardised'),
      node('MatMul', ['standardised', 'coef'], 'linear'),
      node('Add', ['linear', 'intercept'], ONNX_OUTPUT),
    ],
    initializer: [
      tensor('mean', [f], model.mean),
      tensor('scale', [f], model.scale),
      tensor('coef', [f, 1], model.coef),
      tensor('intercept', [1], [model.intercept]),
    ],
  }
}

function valueInfo(name: string, dims: (number | string)[]) {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: {
          dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })),
        },
      },
    },
  })
}

/**
 * The model as ONNX bytes: input `features` float32 [N, F], output `p_activity` float32 [N, 1].
 * `metadata` becomes metadata_props in the given key order, so equal inputs give equal bytes.
 */
export function exportOnnx(model: Model, metadata: Record<string, string>): Uint8Array {
  const body = model.kind === 'trees' ? treeNode(model) : linearNodes(model)
  const proto = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    producerName: 'assay-workbench',
    producerVersion: metadata.app_version ?? '',
    opsetImport: [
      { domain: '', version: DEFAULT_OPSET },
      { domain: 'ai.onnx.ml', version: ML_OPSET },
    ],
    graph: {
      name: 'potency',
      node: body.nodes,
      initializer: body.initializer,
      input: [valueInfo(ONNX_INPUT, ['N', model.f])],
      output: [valueInfo(ONNX_OUTPUT, ['N', 1])],
    },
    metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
  })
  return onnx.ModelProto.encode(proto).finish()
}

/** The metadata_props of ONNX bytes (for reading a bundle back). */
export function readOnnxMetadata(bytes: Uint8Array): Record<string, string> {
  const proto = onnx.ModelProto.decode(bytes)
  return Object.fromEntries(proto.metadataProps.map((p) => [p.key ?? '', p.value ?? '']))
}
