import fs from 'node:fs';
import path from 'node:path';

/** Bytes of the weapp build: the main package (everything outside packages/) and each sub-package. */
export function weappSizes(dist: string): { main: number; subPackages: Record<string, number>; total: number } {
  const size = (dir: string): number =>
    fs.readdirSync(dir, { withFileTypes: true }).reduce((sum, entry) => {
      const full = path.join(dir, entry.name);
      return sum + (entry.isDirectory() ? size(full) : fs.statSync(full).size);
    }, 0);
  const packagesDir = path.join(dist, 'packages');
  const subPackages: Record<string, number> = {};
  if (fs.existsSync(packagesDir)) for (const name of fs.readdirSync(packagesDir)) subPackages[name] = size(path.join(packagesDir, name));
  const total = size(dist);
  const main = total - Object.values(subPackages).reduce((a, b) => a + b, 0);
  return { main, subPackages, total };
}
