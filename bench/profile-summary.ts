/**
 * Summarises a V8 `.cpuprofile`: the top functions by self time and by inclusive time (each sample
 * counted once per function on its stack), and self time grouped by package or source file.
 */
import * as Fs from "node:fs"

interface CallFrame {
  readonly functionName: string
  readonly url: string
  readonly lineNumber: number
}

interface ProfileNode {
  readonly id: number
  readonly callFrame: CallFrame
  readonly hitCount?: number
  readonly children?: ReadonlyArray<number>
}

interface Profile {
  readonly nodes: ReadonlyArray<ProfileNode>
  readonly startTime: number
  readonly endTime: number
  readonly samples: ReadonlyArray<number>
}

/** One line of a summary: a label and its share of all samples. */
export interface Row {
  readonly label: string
  readonly percent: number
}

/** Where a function lives: package name or workspace path. */
const place = (url: string): string => {
  if (url === "") return "(native/v8)"
  const modules = url.lastIndexOf("node_modules/")
  if (modules >= 0) {
    const rest = url.slice(modules + "node_modules/".length).split("/")
    const name = rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!
    const file = rest.slice(name.includes("/") ? 2 : 1).join("/")
    return `${name}/${file.replace(/^(dist|src)\//, "")}`
  }
  if (url.startsWith("node:")) return url
  const workspace = url.indexOf("/packages/")
  return workspace >= 0 ? url.slice(workspace + 1) : url.replace(/^file:\/\/.*\/bench\//, "bench/")
}

const label = (frame: CallFrame) => `${frame.functionName || "(anonymous)"} ${place(frame.url)}:${frame.lineNumber + 1}`

const top = (counts: Map<string, number>, total: number, limit: number): Array<Row> =>
  [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit).map(([label, n]) => ({
    label,
    percent: (100 * n) / total
  }))

/** Summaries of a profile file. */
export const summarize = (file: string, limit = 25) => {
  const profile = JSON.parse(Fs.readFileSync(file, "utf8")) as Profile
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  const self = new Map<string, number>()
  const inclusive = new Map<string, number>()
  const files = new Map<string, number>()
  let total = 0
  for (const id of profile.samples) {
    const node = byId.get(id)!
    if (node.callFrame.functionName === "(idle)" || node.callFrame.functionName === "(program)") continue
    total++
    self.set(label(node.callFrame), (self.get(label(node.callFrame)) ?? 0) + 1)
    const where = place(node.callFrame.url).replace(/:\d+$/, "")
    files.set(where, (files.get(where) ?? 0) + 1)
    const seen = new Set<string>()
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = label(byId.get(at)!.callFrame)
      if (!seen.has(name)) {
        seen.add(name)
        inclusive.set(name, (inclusive.get(name) ?? 0) + 1)
      }
    }
  }
  return {
    busySamples: total,
    self: top(self, total, limit),
    inclusive: top(inclusive, total, limit),
    files: top(files, total, limit)
  }
}
