/*
 * A stand-in libnvidia-ml for tests on machines without an NVIDIA GPU: the same C entry points and struct layouts,
 * canned figures for two boards (the second answers NOT_SUPPORTED for utilisation and temperature, as some do).
 * Built by NvmlSampler.test.ts with the system C compiler; it proves the koffi bindings marshal NVML's ABI.
 * It counts the figure queries per board (fakeNvmlQueryCount), so a test can show a sleeping board was never asked.
 */
#include <stdio.h>
#include <string.h>

typedef struct { unsigned long long total, free, used; } nvmlMemory_t;
typedef struct { unsigned int gpu, memory; } nvmlUtilization_t;
typedef struct { int index; } device_t;
/* nvmlPciInfo_t as nvml.h lays it out for nvmlDeviceGetPciInfo_v3. */
typedef struct {
  char busIdLegacy[16];
  unsigned int domain, bus, device, pciDeviceId, pciSubSystemId;
  char busId[32];
} nvmlPciInfo_t;

static device_t devices[2] = {{0}, {1}};
static int initialised = 0;
int fakeShutdownCount = 0;
static unsigned int queries[2] = {0, 0};

/* Memory, utilisation and temperature calls made for a board since the library was loaded. */
unsigned int fakeNvmlQueryCount(unsigned int index) { return index < 2 ? queries[index] : 0; }

int nvmlDeviceGetPciInfo_v3(device_t *device, nvmlPciInfo_t *pci) {
  memset(pci, 0, sizeof *pci);
  pci->bus = (unsigned int)device->index + 1;
  snprintf(pci->busIdLegacy, sizeof pci->busIdLegacy, "0000:%02x:00.0", pci->bus);
  snprintf(pci->busId, sizeof pci->busId, "00000000:%02x:00.0", pci->bus);
  return 0;
}

int nvmlInit_v2(void) { initialised += 1; return 0; }
int nvmlShutdown(void) { initialised -= 1; fakeShutdownCount += 1; return 0; }
int nvmlDeviceGetCount_v2(unsigned int *count) { if (!initialised) return 1; *count = 2; return 0; }

int nvmlDeviceGetHandleByIndex_v2(unsigned int index, device_t **device) {
  if (index > 1) return 2; /* NVML_ERROR_INVALID_ARGUMENT */
  *device = &devices[index];
  return 0;
}

int nvmlDeviceGetName(device_t *device, char *name, unsigned int length) {
  const char *names[2] = {"NVIDIA H100 80GB HBM3", "NVIDIA GeForce RTX 4090"};
  strncpy(name, names[device->index], length - 1);
  name[length - 1] = 0;
  return 0;
}

int nvmlDeviceGetMemoryInfo(device_t *device, nvmlMemory_t *memory) {
  queries[device->index] += 1;
  /* Above 2^32 on purpose: a 32-bit slip in the struct layout would show. */
  memory->total = device->index == 0 ? 85520809984ULL : 25757220864ULL;
  memory->used = device->index == 0 ? 12884901888ULL : 536870912ULL;
  memory->free = memory->total - memory->used;
  return 0;
}

int nvmlDeviceGetUtilizationRates(device_t *device, nvmlUtilization_t *utilization) {
  queries[device->index] += 1;
  if (device->index == 1) return 3; /* NVML_ERROR_NOT_SUPPORTED */
  utilization->gpu = 37;
  utilization->memory = 12;
  return 0;
}

int nvmlDeviceGetTemperature(device_t *device, int sensor, unsigned int *temperature) {
  queries[device->index] += 1;
  if (device->index == 1 || sensor != 0) return 3;
  *temperature = 54;
  return 0;
}
