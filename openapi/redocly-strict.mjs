// Redocly CLI exits 0 on warnings; CI wants none. Runs `redocly lint` (readable output), then
// again as JSON to count every problem, and fails when there is any, error or warning.
import { spawnSync } from 'node:child_process';

const args = ['redocly', 'lint', '--config', 'redocly.yaml', 'openapi.json'];
const readable = spawnSync('npx', ['--no-install', ...args], { stdio: 'inherit' });
const json = spawnSync('npx', ['--no-install', ...args, '--format=json'], { encoding: 'utf8' });
const report = JSON.parse(json.stdout);
const count = (severity) => report.problems.filter((p) => p.severity === severity).length;
console.log(`redocly: ${count('error')} errors, ${count('warn')} warnings`);
process.exit(readable.status === 0 && report.problems.length === 0 ? 0 : 1);
