import { nestsDeeperThan } from "../packages/sdk/src/internal/response.ts"
import { tokenBody } from "./config.ts"
const t = performance.now(); let x = 0
for (let i = 0; i < 1e6; i++) if (nestsDeeperThan(tokenBody + (i % 2 ? " " : ""), 64)) x++
console.log(((performance.now() - t) * 1000 / 1e6).toFixed(3), "µs per scan of", tokenBody.length, "chars", x)
const re = /^application\/(?:[\w.+-]+\+)?json\b/i
const t2 = performance.now(); for (let i = 0; i < 1e6; i++) if (re.test("application/json; charset=utf-8")) x++
console.log(((performance.now() - t2) * 1000 / 1e6).toFixed(3), "µs regex")
const d = new TextDecoder(); const b = Buffer.from(tokenBody)
const t3 = performance.now(); for (let i = 0; i < 1e6; i++) x += d.decode(b).length
console.log(((performance.now() - t3) * 1000 / 1e6).toFixed(3), "µs TextDecoder")
const t4 = performance.now(); for (let i = 0; i < 1e6; i++) x += b.toString("utf8").length
console.log(((performance.now() - t4) * 1000 / 1e6).toFixed(3), "µs Buffer.toString")
const t5 = performance.now(); for (let i = 0; i < 1e6; i++) x += JSON.parse(tokenBody).token.length
console.log(((performance.now() - t5) * 1000 / 1e6).toFixed(3), "µs JSON.parse")
