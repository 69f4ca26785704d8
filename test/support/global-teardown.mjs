export default async function globalTeardown() {
  await globalThis.__broker?.stop();
}
