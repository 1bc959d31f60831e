/**
 * objectGUID: 16 bytes on the wire; Windows writes it {xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx} with the
 * first three groups byte-swapped (little-endian Data1/Data2/Data3).
 */
export function guidToString(bytes: Buffer): string {
  if (bytes.length !== 16) throw new Error(`an objectGUID has 16 bytes, this one ${bytes.length}`);
  const hex = (from: number, to: number, reverse: boolean) => {
    const part = Buffer.from(bytes.subarray(from, to));
    return (reverse ? part.reverse() : part).toString('hex');
  };
  return `${hex(0, 4, true)}-${hex(4, 6, true)}-${hex(6, 8, true)}-${hex(8, 10, false)}-${hex(10, 16, false)}`;
}
