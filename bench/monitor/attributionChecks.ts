/**
 * What splitting Mai's CPU from other programs' and naming the cause of pressure cost, for bench/monitor.ts: the
 * per-sample own-CPU reading (process.cpuUsage, and one /proc/<pid>/stat per engine process while Mai answers
 * through a local LM Studio), and a scan of the whole process table with the growth comparison, which runs only
 * while the machine is close to or over its thresholds: every 5 s for the first 30 s of a spell, every 30 s after.
 */
import { OwnCpuMeter, processSources } from '../../src/brain/resources/ownCpu';
import { defaultAttributionOptions } from '../../src/brain/resources/PressureAttribution';
import { programGrowth, type Scan } from '../../src/brain/resources/processGrowth';
import { ProcessTable } from '../../src/brain/resources/processTable';

function cpuMicros(work: () => unknown, calls: number): number {
  for (let i = 0; i < Math.min(50, calls); i += 1) work(); // warm-up: the first calls pay for lazy compiles
  const started = process.cpuUsage();
  for (let i = 0; i < calls; i += 1) work();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / calls;
}

/** Share of one core for `micros` of CPU every `everyMs`. */
const shareOfCore = (micros: number, everyMs: number) => (micros / 1000 / everyMs) * 100;

export function printAttributionChecks(): void {
  const table = new ProcessTable();
  if (!table.available) {
    console.log(
      '\nPressure attribution: no /proc here; Mai splits its own CPU (process.cpuUsage) and names no program',
    );
    return;
  }
  const alone = new OwnCpuMeter(processSources);
  // This process stands in for an LM Studio process: one stat read per engine process per sample.
  const withEngine = new OwnCpuMeter({ ...processSources, enginePids: () => [process.pid], table });
  const ownUs = cpuMicros(() => alone.percentSinceLast(2), 10_000);
  const engineUs = cpuMicros(() => withEngine.percentSinceLast(2), 10_000);
  const processes = table.list().length;
  const scan = (): Scan => ({
    atMs: Date.now(),
    uptimeSeconds: table.uptimeSeconds(),
    processes: new Map(table.list().map((stat) => [stat.pid, stat])),
  });
  const first = scan();
  const scanUs = cpuMicros(() => programGrowth(first, first, scan(), 2, new Set([process.pid])), 100);
  const desktopUs = (scanUs / processes) * 400;
  // Spaced as PressureAttribution spaces them: every 5 s early in a spell, further apart when a scan costs more
  // than 0.1 % of a core at that pace; every 30 s later on.
  const earlyMs = (micros: number) => Math.max(defaultAttributionOptions.earlyScanMs, micros / 1000 / 0.001);
  const during = (micros: number) =>
    `every ${(earlyMs(micros) / 1000).toFixed(1)} s: ${shareOfCore(micros, earlyMs(micros)).toFixed(3)} % of a core, then every 30 s: ${shareOfCore(micros, 30_000).toFixed(4)} %`;
  console.log('');
  console.log('Pressure attribution (CPU, in process)');
  console.log(
    `  own CPU per sample:               ${ownUs.toFixed(2)} µs  (at 1 Hz ${shareOfCore(ownUs, 1000).toFixed(5)} % of a core)`,
  );
  console.log(
    `  + one LM Studio process per sample: ${(engineUs - ownUs).toFixed(1)} µs  (at 1 Hz ${shareOfCore(engineUs - ownUs, 1000).toFixed(4)} % of a core)`,
  );
  console.log(
    `  scan + growth, ${processes} processes:    ${(scanUs / 1000).toFixed(2)} ms  (${(scanUs / processes).toFixed(1)} µs a process)`,
  );
  console.log(`    while pressure lasts, first 30 s ${during(scanUs)}; none while calm`);
  console.log(`    a desktop's 400 processes (${(desktopUs / 1000).toFixed(1)} ms a scan): ${during(desktopUs)}`);
  console.log(
    `  LM Studio's processes found by the same scan once a minute while Mai answers through it: ${shareOfCore(scanUs, 60_000).toFixed(4)} % of a core`,
  );
}
