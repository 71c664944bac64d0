/** One graphics card as the static inventory sees it. */
export interface HardwareGpu {
  name: string;
  /** The card's own memory; null where the platform gives no trustworthy figure (integrated or unified memory). */
  vramTotalBytes: number | null;
  /**
   * True for Apple silicon, whose GPU addresses system RAM directly at full speed, so its usable VRAM is a share
   * of total memory. Leave it unset for integrated PC GPUs: their shared memory brings models little speed.
   */
  unifiedMemory?: boolean;
}

/**
 * What the machine has, read once at start (systeminformation), as tier classification needs it.
 * No GPU is `gpus: []`, never an error.
 */
export interface HardwareInventory {
  /** Total RAM as the OS reports it (Linux MemTotal, os.totalmem()): a little under what is installed. */
  totalMemoryBytes: number;
  /**
   * Physical cores where the platform tells them apart, else logical ones: inference scales with physical
   * cores, hyper-threads add little.
   */
  cpuCores: number;
  gpus: readonly HardwareGpu[];
}
