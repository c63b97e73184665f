/** Drives `ops` calls through `call`, keeping `concurrency` in flight. */
export const drive = async (call: () => Promise<unknown>, ops: number, concurrency: number): Promise<void> => {
  let started = 0
  const lane = async () => {
    while (started < ops) {
      started++
      await call()
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, ops) }, lane))
}
