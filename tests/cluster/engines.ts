import fs from 'node:fs';

/**
 * The real engines a cluster test starts itself (Debian's packages). Missing on a developer's machine:
 * the test is skipped with a hint. Missing in CI: an error, so that CI never passes by skipping it.
 */
export function missingEngines(what: string, binaries: string[]): boolean {
  const missing = binaries.filter((binary) => !fs.existsSync(binary));
  if (!missing.length) return false;
  const hint = `${what}: ${missing.join(', ')} missing — apt-get install ${missing.map((b) => (b.endsWith('nginx') ? 'nginx' : 'mariadb-server')).join(' ')}`;
  if (process.env.CI) throw new Error(`CI needs the real engines. ${hint}`);
  console.warn(`skipped. ${hint}`);
  return true;
}
