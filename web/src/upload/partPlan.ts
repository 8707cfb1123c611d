/**
 * Byte ranges of parts. The server decides partSize/partCount (docs/api.md): every part is
 * partSize except the last; part numbers start at 1 as in S3.
 */
export interface ByteRange {
  start: number;
  /** Exclusive, as Blob.slice expects. */
  end: number;
}

export function partRange(partNumber: number, partSize: number, size: number): ByteRange {
  if (!Number.isInteger(partNumber) || partNumber < 1) throw new RangeError(`invalid part number ${partNumber}`);
  if (partSize <= 0) throw new RangeError(`invalid part size ${partSize}`);
  const start = (partNumber - 1) * partSize;
  if (start >= size && !(size === 0 && partNumber === 1)) {
    throw new RangeError(`part ${partNumber} starts past the end of a ${size}-byte file`);
  }
  return { start, end: Math.min(start + partSize, size) };
}

export function partLength(partNumber: number, partSize: number, size: number): number {
  const { start, end } = partRange(partNumber, partSize, size);
  return end - start;
}

/** Sanity check of the server's plan against the file we hold. */
export function isConsistentPlan(partSize: number, partCount: number, size: number): boolean {
  return partSize > 0 && partCount >= 1 && Math.ceil(size / partSize) === partCount;
}

export function allPartNumbers(partCount: number): number[] {
  return Array.from({ length: partCount }, (_, i) => i + 1);
}
